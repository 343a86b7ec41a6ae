// A finished run: its events, findings, chapters and expectations, and the live state, which `seek` moves to
// any step by undoing or redoing journal patches. Step 0 is the state before the first event; step k is the
// state after event k (events are numbered from 1).

import type { Chapter, ExpectationResult, Finding, SimEvent } from './events';
import type { ResolvedKernel } from './policy';
import type { Sim } from './sim';
import { buildSnapshot, type Snapshot } from './snapshot';

export class Run {
  readonly events: readonly SimEvent[];
  readonly findings: readonly Finding[];
  readonly kernel: ResolvedKernel;
  private position: number;

  constructor(
    private readonly sim: Sim,
    readonly title: string,
    readonly chapters: readonly Chapter[],
    readonly expectations: readonly ExpectationResult[],
  ) {
    this.events = sim.events;
    this.findings = sim.findings;
    this.kernel = sim.kernel;
    this.position = sim.journal.length;
    this.step = this.lastStep;
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
    if (to > this.position) this.sim.journal.redo(this.position, to);
    else if (to < this.position) this.sim.journal.undo(to, this.position);
    this.position = to;
    this.step = target;
  }

  /** A plain, immutable picture of the state at `step` (for views, tests and the command line). */
  snapshot(step = this.step): Snapshot {
    this.seek(step);
    return buildSnapshot(this.sim, this);
  }

  eventAt(step: number): SimEvent | undefined {
    return step >= 1 ? this.events[step - 1] : undefined;
  }

  /** Number of violations found up to and including `step`. */
  findingsUpTo(step: number): Finding[] {
    return this.findings.filter((f) => f.step <= step);
  }

  get violations(): number {
    return this.sim.state.counters.violations;
  }
}
