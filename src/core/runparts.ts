// What a run steps through, in a file of its own so that the snapshot and the catalog, which read it, and
// the run, which builds them, do not import each other.

import type { Finding, SimEvent } from './events';
import type { ResolvedKernel } from './policy';
import type { Journal } from './journal';
import type { SimState } from './state';

/**
 * What a run steps through: the live state (at the end of the run when handed over), the journal that moves
 * it, and what the run reported. A finished `Sim` is one; a run rebuilt from a copy (src/core/packed.ts) is
 * another.
 */
export interface RunParts {
  readonly state: SimState;
  readonly journal: Journal;
  readonly events: readonly SimEvent[];
  readonly findings: readonly Finding[];
  readonly kernel: ResolvedKernel;
}
