// Every user action as one command object with its keyboard shortcut, used by the keyboard handler, the
// buttons and the `?` overlay alike.

import { useExplorer } from '../store/explorer';

export interface Action {
  id: string;
  label: string;
  /** Keys as KeyboardEvent.key values, with an optional "Shift+" prefix. */
  keys: string[];
  /** Shown in the shortcut list. */
  keyLabel: string;
  run(): void;
}

const store = () => useExplorer.getState();

export const ACTIONS: Action[] = [
  { id: 'event-next', label: 'Next event', keys: ['ArrowRight'], keyLabel: '→', run: () => store().move('event', 1) },
  { id: 'event-prev', label: 'Previous event', keys: ['ArrowLeft'], keyLabel: '←', run: () => store().move('event', -1) },
  { id: 'statement-next', label: 'Next statement', keys: ['Shift+ArrowRight'], keyLabel: 'Shift+→', run: () => store().move('statement', 1) },
  { id: 'statement-prev', label: 'Previous statement', keys: ['Shift+ArrowLeft'], keyLabel: 'Shift+←', run: () => store().move('statement', -1) },
  { id: 'chapter-next', label: 'Next chapter', keys: ['PageDown'], keyLabel: 'PageDown', run: () => store().move('chapter', 1) },
  { id: 'chapter-prev', label: 'Previous chapter', keys: ['PageUp'], keyLabel: 'PageUp', run: () => store().move('chapter', -1) },
  { id: 'play', label: 'Play / pause', keys: [' '], keyLabel: 'Space', run: () => store().togglePlay() },
  { id: 'start', label: 'Go to the start', keys: ['Home'], keyLabel: 'Home', run: () => store().seek(0) },
  { id: 'end', label: 'Go to the end', keys: ['End'], keyLabel: 'End', run: () => store().seek(store().run?.lastStep ?? 0) },
  { id: 'faster', label: 'Play faster', keys: [']'], keyLabel: ']', run: () => store().setSpeed(store().speed * 2) },
  { id: 'slower', label: 'Play slower', keys: ['['], keyLabel: '[', run: () => store().setSpeed(store().speed / 2) },
  { id: 'deselect', label: 'Close the folio details', keys: ['Escape'], keyLabel: 'Esc', run: () => {
    const s = store();
    if (s.helpOpen) s.setHelpOpen(false);
    else s.selectFolio(null);
  } },
  { id: 'help', label: 'Show keyboard shortcuts', keys: ['?'], keyLabel: '?', run: () => store().setHelpOpen(!store().helpOpen) },
];

function keyOf(e: KeyboardEvent): string {
  // `?` arrives as Shift+/ on most layouts: match on the produced character for printable keys.
  if (e.key.length === 1) return e.key;
  return `${e.shiftKey ? 'Shift+' : ''}${e.key}`;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file']);

/** Whether keys pressed in this element are the element's own: text fields, and a dropdown while it has focus. */
export function ownsKeys(target: Element | null): boolean {
  if (!target) return false;
  const el = target as HTMLElement;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable) return true;
  if (el.tagName === 'INPUT') return !NON_TEXT_INPUTS.has((el as HTMLInputElement).type);
  return false;
}

/** Space and Enter activate a focused button, checkbox or link; they are not playback keys there. */
function activates(target: Element | null, key: string): boolean {
  if (!target || (key !== ' ' && key !== 'Enter')) return false;
  const el = target as HTMLElement;
  return el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'INPUT' || el.tagName === 'SUMMARY' || el.getAttribute('role') === 'button';
}

/**
 * The run's navigation keys, which a focused dropdown gives to the run: they step it (and the dropdown's value
 * stays) while ↑/↓, letters and Alt+↓ still choose in it. Focus stays on a dropdown after a choice, so keyboard
 * users keep their place, and → after picking a scenario is the next event, not the next scenario.
 */
const STEP_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

/** Whether a key pressed in `target` is the element's own (a text field's, or a dropdown's choosing keys). */
export function keyIsElements(target: Element | null, key: string): boolean {
  if (!ownsKeys(target)) return false;
  return !((target as HTMLElement).tagName === 'SELECT' && STEP_KEYS.has(key));
}

/** The action a key press triggers, unless the user is typing in a text field or choosing in a dropdown. */
export function actionForKey(e: KeyboardEvent): Action | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const target = e.target as Element | null;
  if (keyIsElements(target, e.key)) return undefined;
  const key = keyOf(e);
  if (activates(target, key)) return undefined;
  return ACTIONS.find((a) => a.keys.includes(key));
}
