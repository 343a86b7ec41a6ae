// What the views see of a run: an immutable facade. The simulator's `Run` moves a live state back and forth
// through its journal on every question; here every answer is a plain value (a snapshot, a series, a step),
// served from caches kept beside the run, so a view can ask anything during render without moving anything
// another view can observe. Only the store makes these (viewOfRun); views never hold the `Run`.

import type { Catalog, Chapter, ExpectationResult, Finding, ResolvedKernel, Run, SimEvent, Snapshot, ViewName } from '../core';

export interface FolioCounters {
  readonly kind: string;
  readonly refcount: number;
  readonly mapcount: number;
  readonly pincount: number;
}

export interface SeriesPoint {
  readonly step: number;
  readonly refcount: number | undefined;
}

export interface RunView {
  readonly title: string;
  readonly kernel: ResolvedKernel;
  /** Every event, in step order: event k is step k (`events[k - 1]`). */
  readonly events: readonly SimEvent[];
  readonly findings: readonly Finding[];
  readonly expectations: readonly ExpectationResult[];
  readonly chapters: readonly Chapter[];
  readonly lastStep: number;
  /** Everything the run ever created, with the steps it lives in (built on first read, then kept). */
  readonly catalog: Catalog;
  /** The event step `step` shows (undefined at step 0). */
  eventAt(step: number): SimEvent | undefined;
  /** The views a `show` statement chose for `step` (all four when none did). */
  viewsAt(step: number): readonly ViewName[];
  /** The state at `step` (clamped), from a cache of recent steps. */
  snapshotAt(step: number): Snapshot;
  /** Every live folio's counters at `step`. */
  folioCounters(step: number): ReadonlyMap<number, FolioCounters>;
  /** A folio's refcount at up to `samples` evenly spaced steps. */
  refcountSeries(folio: number, samples?: number): readonly SeriesPoint[];
  /** The last step at or before `step` whose event changed `folio`'s refcount (0 if none did). */
  lastChangeStep(folio: number, step: number): number;
}

/** How many snapshots a run keeps: a few screens of scrubbing back and forth, fewer for big runs. */
export function snapshotCacheSize(folios: number): number {
  // A snapshot is O(live folios + PTEs): keep a budget of about a million folio views across the cache.
  return Math.max(4, Math.min(64, Math.floor(1_000_000 / Math.max(1, folios))));
}

/** The immutable facade of `run`. The run must not be used elsewhere afterwards (its cursor belongs here). */
export function viewOfRun(run: Run): RunView {
  const snapshots = new Map<number, Snapshot>();
  let catalog: Catalog | undefined;
  let cacheSize = 0;
  const clamp = (step: number) => Math.max(0, Math.min(run.lastStep, Math.round(step)));
  const view: RunView = {
    title: run.title,
    kernel: run.kernel,
    events: run.events,
    findings: run.findings,
    expectations: run.expectations,
    chapters: run.chapters,
    lastStep: run.lastStep,
    get catalog() {
      catalog ??= Object.freeze(run.catalog);
      return catalog;
    },
    eventAt: (step) => run.eventAt(step),
    viewsAt: (step) => run.viewsAt(step),
    snapshotAt(step) {
      const at = clamp(step);
      const hit = snapshots.get(at);
      if (hit) {
        // Most recently used last, so scrubbing back and forth keeps its steps.
        snapshots.delete(at);
        snapshots.set(at, hit);
        return hit;
      }
      const snap = Object.freeze(run.snapshot(at));
      cacheSize ||= snapshotCacheSize(view.catalog.folios.length);
      snapshots.set(at, snap);
      if (snapshots.size > cacheSize) snapshots.delete(snapshots.keys().next().value!);
      return snap;
    },
    folioCounters: (step) => run.folioCounters(clamp(step)),
    refcountSeries: (folio, samples) => run.refcountSeries(folio, samples),
    lastChangeStep: (folio, step) => run.lastChangeStep(folio, step),
  };
  return Object.freeze(view);
}
