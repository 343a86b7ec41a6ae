// A typed test API on `window.__pinscope` for end-to-end tests: read the simulator's numbers at the current
// step and drive the explorer without going through pixels.

import { useExplorer } from '../store/explorer';
import { runsSettled } from '../store/simRuns';
import type { Snapshot } from '../core';

export interface PinscopeTestApi {
  step(): number;
  lastStep(): number;
  seek(step: number): void;
  snapshot(): Snapshot | null;
  chapters(): { title: string; step: number }[];
  /** Resolves once the run is shown (the simulation may run in a worker). */
  load(text: string, kernel?: string): Promise<void>;
  errors(): { line: number; col: number; message: string }[];
  /** The run's checked expectations (line, ok, actual) and the compare run's, if any. */
  expectations(): { line: number; ok: boolean; actual: string }[];
  compareExpectations(): { line: number; ok: boolean; actual: string }[];
  kernels(): { main: string; compare: string | null };
  /** Start playback from the current step at `speed` events per second. */
  play(speed?: number): void;
  pause(): void;
  /** The event that step `step` shows (its statement execution `stmt`, source line and text), or null. */
  eventAt(step: number): { stmt: number; line: number; text: string } | null;
  /** The views a `show` statement chose for the current step (all four when none did). */
  views(): string[];
}

declare global {
  interface Window {
    __pinscope?: PinscopeTestApi;
  }
}

export function installTestApi(): void {
  if (typeof window === 'undefined') return;
  const s = () => useExplorer.getState();
  window.__pinscope = {
    step: () => s().step,
    lastStep: () => s().run?.lastStep ?? 0,
    seek: (step) => s().seek(step),
    snapshot: () => s().snapshot,
    chapters: () => (s().run?.chapters ?? []).map((c) => ({ title: c.title, step: c.step })),
    load: (text, kernel) => {
      s().load(text, { kernel: kernel ?? null });
      return runsSettled('main');
    },
    errors: () => s().errors.map((e) => ({ line: e.line, col: e.col, message: e.message })),
    expectations: () => (s().run?.expectations ?? []).map((e) => ({ line: e.line, ok: e.ok, actual: e.actual })),
    compareExpectations: () => (s().compareRun?.expectations ?? []).map((e) => ({ line: e.line, ok: e.ok, actual: e.actual })),
    kernels: () => ({ main: s().run?.kernel.label ?? '', compare: s().compareRun?.kernel.label ?? null }),
    play: (speed) => {
      if (speed !== undefined) s().setSpeed(speed);
      s().play();
    },
    pause: () => s().pause(),
    eventAt: (step) => {
      const ev = step > 0 ? s().run?.events[step - 1] : undefined;
      return ev ? { stmt: ev.stmt, line: ev.line, text: ev.text } : null;
    },
    views: () => [...(s().run?.viewsAt(s().step) ?? [])],
  };
}
