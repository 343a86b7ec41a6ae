// A finished run: its events, findings, chapters and expectations, and the live state, which `seek` moves to
// any step by undoing or redoing journal patches. Step 0 is the state before the first event; step k is the
// state after event k (events are numbered from 1).

import type { Chapter, ExpectationResult, Finding, ShownViews, SimEvent } from './events';
import { VIEW_NAMES, type ViewName } from './ast';
import type { ResolvedKernel } from './policy';
import type { RunParts } from './runparts';
import { buildSnapshot, type Snapshot } from './snapshot';
import { buildCatalog, type Catalog } from './catalog';

export type { RunParts } from './runparts';

export class Run {
  readonly events: readonly SimEvent[];
  readonly findings: readonly Finding[];
  readonly kernel: ResolvedKernel;
  private position: number;

  constructor(
    private readonly sim: RunParts,
    readonly title: string,
    readonly chapters: readonly Chapter[],
    readonly expectations: readonly ExpectationResult[],
    /** Every `show` statement's choice, in step order (empty when the scenario has none). */
    readonly shows: readonly ShownViews[] = [],
  ) {
    this.events = sim.events;
    this.findings = sim.findings;
    this.kernel = sim.kernel;
    this.position = sim.journal.length;
    this.step = this.lastStep;
  }

  /** The parts this run steps through, with the live state moved to the last step (to copy the run). */
  partsAtEnd(): RunParts {
    this.seek(this.lastStep);
    return this.sim;
  }

  /** The step the live state is at. */
  step: number;

  get lastStep(): number {
    return this.events.length;
  }

  private patchAt(step: number): number {
    if (step <= 0) return 0;
    if (step >= this.events.length) return this.sim.journal.length;
    return this.events[step - 1]!.patchEnd;
  }

  /** Move the live state to `step` (clamped). Costs the patches between the current step and the target. */
  seek(step: number): void {
    const target = Math.max(0, Math.min(this.lastStep, Math.round(step)));
    const to = this.patchAt(target);
    this.sim.journal.travel(this.position, to);
    this.position = to;
    this.step = target;
  }

  /** A plain, immutable picture of the state at `step` (for views, tests and the command line). */
  snapshot(step = this.step): Snapshot {
    this.seek(step);
    const event = this.eventAt(this.step);
    return buildSnapshot(this.sim, { step: this.step, lastStep: this.lastStep, kernel: this.kernel.label, ...(event ? { event } : {}) });
  }

  /**
   * The views presentation mode shows at `step`: those of the last `show` in effect there (step 0 takes the
   * choices made before the first event), or all four.
   */
  viewsAt(step: number): readonly ViewName[] {
    const at = Math.max(1, step);
    let views: readonly ViewName[] = VIEW_NAMES;
    for (const s of this.shows) {
      if (s.step > at) break;
      views = s.views;
    }
    return views;
  }

  eventAt(step: number): SimEvent | undefined {
    return step >= 1 ? this.events[step - 1] : undefined;
  }

  private cachedCatalog: Catalog | undefined;

  /** Everything the run ever created (folios, holders, bios, addresses), for layouts that never jump. */
  get catalog(): Catalog {
    if (!this.cachedCatalog) {
      // Built from the final state plus every patch, so it does not depend on the step it is first read at.
      const saved = this.step;
      this.seek(this.lastStep);
      this.cachedCatalog = buildCatalog(this.sim);
      this.seek(saved);
    }
    return this.cachedCatalog;
  }

  /** Every live folio's counters at `step` (cheaper than a snapshot). Moves the live state. */
  folioCounters(step: number): Map<number, { kind: string; refcount: number; mapcount: number; pincount: number }> {
    this.seek(step);
    const out = new Map<number, { kind: string; refcount: number; mapcount: number; pincount: number }>();
    for (const f of this.sim.state.folios.values()) {
      out.set(f.id, { kind: f.kind, refcount: f.refcount, mapcount: f.order > 0 ? f.largeMapcount + 1 : f.mapcount[0]! + 1, pincount: f.order > 0 ? f.pincount : 0 });
    }
    return out;
  }

  /** A folio's refcount at `step` (undefined when it does not exist then). Moves the live state. */
  refcountAt(folio: number, step: number): number | undefined {
    this.seek(step);
    return this.sim.state.folios.get(folio)?.refcount;
  }

  /** Refcount of `folio` at up to `samples` evenly spaced steps (for the "over the run" chart). */
  refcountSeries(folio: number, samples = 400): { step: number; refcount: number | undefined }[] {
    const last = this.lastStep;
    const n = Math.min(samples, last + 1);
    const out: { step: number; refcount: number | undefined }[] = [];
    const saved = this.step;
    for (let i = 0; i < n; i++) {
      const step = n === 1 ? 0 : Math.round((i * last) / (n - 1));
      out.push({ step, refcount: this.refcountAt(folio, step) });
    }
    this.seek(saved);
    return out;
  }

  /** The last step at or before `step` whose event changed `folio`'s refcount (0 if none did). */
  lastChangeStep(folio: number, step: number): number {
    const saved = this.step;
    let found = 0;
    for (let s = Math.min(step, this.lastStep); s >= 1; s--) {
      const e = this.events[s - 1]!;
      if (e.kind !== 'elided' && e.folio !== folio) continue;
      // Events that carry their refcount change answer without moving the state.
      if (e.kind !== 'elided' && e.delta !== undefined) {
        if (e.delta !== 0) {
          found = s;
          break;
        }
        continue;
      }
      if (this.refcountAt(folio, s) !== this.refcountAt(folio, s - 1)) {
        found = s;
        break;
      }
    }
    this.seek(saved);
    return found;
  }
}
