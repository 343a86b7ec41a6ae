// The embed's own state (what it shows, its bounds, its keys and its host) and its bounded stepping: an embed
// never leaves [start, end], whatever the host or the keys ask.

import { create } from 'zustand';
import { useExplorer } from '../../store/explorer';
import { chapterAt, moveStep, type StepSource, type StepUnit } from '../../store/navigation';
import { EMBED_VIEWS, type EmbedKeys, type EmbedOptions, type EmbedView } from '../../store/url';
import type { EmbedTheme } from './protocol';

export interface PendingLoad {
  origin: string;
  text: string;
  kernel?: string;
}

export interface EmbedState {
  views: EmbedView[];
  caption: boolean;
  theme: EmbedTheme;
  start: number | null;
  end: number | null;
  loop: boolean;
  keys: EmbedKeys;
  /** The host origin given in the link (`po=`): the only one the embed listens and speaks to. */
  parentOrigin: string | null;
  /** The origin of the host that last sent a valid command, when no parentOrigin is given. */
  connectedOrigin: string | null;
  playing: boolean;
  /** A `load` from another origin, waiting for the reader's click. */
  pendingLoad: PendingLoad | null;
}

export const useEmbed = create<EmbedState>()(() => ({
  views: [...EMBED_VIEWS],
  caption: true,
  theme: 'default',
  start: null,
  end: null,
  loop: false,
  keys: 'own',
  parentOrigin: null,
  connectedOrigin: null,
  playing: false,
  pendingLoad: null,
}));

export function applyEmbedOptions(options: EmbedOptions): void {
  useEmbed.setState({
    ...(options.views ? { views: options.views } : {}),
    caption: options.caption !== false,
    start: options.start ?? null,
    end: options.end ?? null,
    loop: options.loop === true,
    keys: options.keys ?? 'own',
    parentOrigin: options.parentOrigin ?? null,
  });
}

/** The steps the embed may show: [start, end] within the run (start > end is read as the other way round). */
export function bounds(run: StepSource, start: number | null, end: number | null): [number, number] {
  const lo = Math.max(0, Math.min(run.lastStep, start ?? 0));
  const hi = Math.max(0, Math.min(run.lastStep, end ?? run.lastStep));
  return lo <= hi ? [lo, hi] : [hi, lo];
}

export function boundedStep(run: StepSource, step: number, start: number | null, end: number | null): number {
  const [lo, hi] = bounds(run, start, end);
  return Math.max(lo, Math.min(hi, Math.round(step)));
}

export function boundedMove(run: StepSource, step: number, unit: StepUnit, dir: 1 | -1, start: number | null, end: number | null): number {
  return boundedStep(run, moveStep(run, step, unit, dir), start, end);
}

export function embedGoto(step: number): void {
  const run = useExplorer.getState().run;
  const { start, end } = useEmbed.getState();
  if (run) useExplorer.getState().seek(boundedStep(run, step, start, end));
}

export function embedMove(unit: StepUnit, dir: 1 | -1): void {
  const s = useExplorer.getState();
  const { start, end } = useEmbed.getState();
  if (s.run) s.seek(boundedMove(s.run, s.step, unit, dir, start, end));
}

/** One tick of playback: the next event, or back to the start when looping, or a stop at the end. */
export function embedTick(): void {
  const s = useExplorer.getState();
  const e = useEmbed.getState();
  if (!s.run) return;
  const [lo, hi] = bounds(s.run, e.start, e.end);
  if (s.step >= hi) {
    if (e.loop) s.seek(lo);
    else useEmbed.setState({ playing: false });
    return;
  }
  s.seek(Math.max(lo, s.step + 1));
}

export function embedPlay(): void {
  const s = useExplorer.getState();
  const e = useEmbed.getState();
  if (!s.run) return;
  const [lo, hi] = bounds(s.run, e.start, e.end);
  if (s.step >= hi || s.step < lo) s.seek(lo);
  useEmbed.setState({ playing: true });
}

/** What `state` events say. */
export function embedStateMessage(): { step: number; steps: number; chapter: number | null; kernel: string } {
  const s = useExplorer.getState();
  const chapter = s.run ? chapterAt(s.run, s.step) : undefined;
  return { step: s.step, steps: s.run?.lastStep ?? 0, chapter: chapter?.index ?? null, kernel: s.run?.kernel.label ?? '' };
}
