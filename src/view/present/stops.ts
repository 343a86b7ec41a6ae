// The stops of a run as the speaker view counts them ("stop 5 of 31"): the steps a clicker's "next" lands on,
// from step 0 to the last step.

import type { StepSource } from '../../store/navigation';
import { stopTarget } from './keys';

/** Every step "next" lands on from step 0, in order (the last one is the run's last step). */
export function stopList(run: StepSource): number[] {
  const out: number[] = [];
  let step = 0;
  while (step < run.lastStep) {
    const next = stopTarget(run, step, { kind: 'stop', dir: 1 });
    if (next <= step) break;
    out.push(next);
    step = next;
  }
  return out;
}

/** "stop K of N": K counts the stops at or before `step` (0 before the first). */
export function stopPosition(stops: readonly number[], step: number): { index: number; count: number } {
  let lo = 0;
  let hi = stops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stops[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, count: stops.length };
}
