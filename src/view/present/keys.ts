// The clicker keys of presentation mode, as presenters' clickers send them, and where a stop lands.
// Pure functions: the key handler (usePresentation) maps a key press to a command, then runs it.

import { moveStep, type StepSource } from '../../store/navigation';

export type PresentCommand =
  | { kind: 'stop'; dir: 1 | -1 }
  | { kind: 'chapter'; dir: 1 | -1 }
  | { kind: 'blank' }
  | { kind: 'toggle' }
  | { kind: 'exit' };

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

const FORWARD = new Set(['PageDown', 'ArrowRight', ' ', 'n']);
const BACK = new Set(['PageUp', 'ArrowLeft', 'p']);
const BLANK = new Set(['b', '.', '/']);

/**
 * The command a key gives. At the desk only F5 (a clicker's "start slideshow") and `f` enter presentation;
 * every other desk key keeps its desk meaning (undefined here). In presentation mode: PageDown / → / Space /
 * N forward one stop, PageUp / ← / P back, with Shift a chapter; Home / End the previous / next chapter;
 * B, `.`, `/` blank; F5 and Shift+F5 toggle; Escape leaves.
 */
export function presentCommand(e: KeyLike, presenting: boolean): PresentCommand | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (e.key === 'F5') return { kind: 'toggle' };
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (!presenting) return key === 'f' && !e.shiftKey ? { kind: 'toggle' } : undefined;
  if (e.key === 'Escape') return { kind: 'exit' };
  if (key === 'f' && !e.shiftKey) return { kind: 'toggle' };
  if (e.key === 'Home') return { kind: 'chapter', dir: -1 };
  if (e.key === 'End') return { kind: 'chapter', dir: 1 };
  if (FORWARD.has(key)) return e.shiftKey ? { kind: 'chapter', dir: 1 } : { kind: 'stop', dir: 1 };
  if (BACK.has(key)) return e.shiftKey ? { kind: 'chapter', dir: -1 } : { kind: 'stop', dir: -1 };
  // `?` is Shift+/ on most layouts: it stays the shortcut list.
  if (BLANK.has(key) && !(key === '/' && e.shiftKey)) return { kind: 'blank' };
  return undefined;
}

/** The step a stop or chapter command lands on: a stop is one statement, a chapter a `mark`. */
export function stopTarget(run: StepSource, step: number, cmd: PresentCommand): number {
  if (cmd.kind === 'stop') return moveStep(run, step, 'statement', cmd.dir);
  if (cmd.kind === 'chapter') return moveStep(run, step, 'chapter', cmd.dir);
  return step;
}
