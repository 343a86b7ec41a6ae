// A folio's history over a run, computed once per run and folio: its refcount series (hundreds of seeks on a
// long run) and a fast "last change at or before this step" that stays cheap while scrubbing.

import type { SimEvent } from '../../core';
import type { SeriesPoint } from './layout';

export const SERIES_SAMPLES = 300;

/** What the history needs from a run (the store's RunView answers it). */
export interface HistorySource {
  readonly events: readonly SimEvent[];
  refcountSeries(folio: number, samples?: number): readonly SeriesPoint[];
  lastChangeStep(folio: number, step: number): number;
}

/**
 * Steps whose event may change the folio's refcount: its own events that carry a non-zero delta, allocations
 * and frees, and elided repeat spans (which carry their net effect without naming a folio). Every other event
 * leaves the refcount alone, so the run only needs asking about these.
 */
export function changeCandidates(events: readonly SimEvent[], folio: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'elided' || (e.folio === folio && ((e.delta !== undefined && e.delta !== 0) || e.kind === 'alloc' || e.kind === 'free'))) out.push(i + 1);
  }
  return out;
}

/** The last candidate at or before `step` (0 when none), by binary search. */
export function lastCandidate(candidates: readonly number[], step: number): number {
  let lo = 0;
  let hi = candidates.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = candidates[mid]!;
    if (c <= step) {
      found = c;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface FolioHistory {
  series: readonly SeriesPoint[];
  /** The run's lastChangeStep(folio, step), asked only at candidate steps and remembered per candidate. */
  lastChange(step: number): number;
}

export function folioHistory(run: HistorySource, folio: number): FolioHistory {
  let series: readonly SeriesPoint[] | undefined;
  let candidates: number[] | undefined;
  const answers = new Map<number, number>();
  return {
    get series() {
      series ??= run.refcountSeries(folio, SERIES_SAMPLES);
      return series;
    },
    lastChange(step) {
      candidates ??= changeCandidates(run.events, folio);
      const c = lastCandidate(candidates, step);
      if (c === 0) return 0;
      let answer = answers.get(c);
      if (answer === undefined) {
        // The run confirms: the candidate itself, or (if it changed nothing) the change before it.
        answer = run.lastChangeStep(folio, c);
        answers.set(c, answer);
      }
      return answer;
    },
  };
}

/** Histories per run and folio; a new run id drops the old run's entries. */
export function historyCache(limit = 32) {
  let forRun = -1;
  const entries = new Map<number, FolioHistory>();
  return {
    get(run: HistorySource, runId: number, folio: number): FolioHistory {
      if (runId !== forRun) {
        entries.clear();
        forRun = runId;
      }
      let h = entries.get(folio);
      if (!h) {
        h = folioHistory(run, folio);
        entries.set(folio, h);
        if (entries.size > limit) entries.delete(entries.keys().next().value!);
      }
      return h;
    },
    get size() {
      return entries.size;
    },
  };
}

/** The app's cache. */
export const folioHistories = historyCache();
