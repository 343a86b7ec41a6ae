// Parse and simulate a scenario text the way the explorer does. Pure (no store, no DOM), so the page, the
// simulation worker (src/worker/) and the tests all run exactly this.

import { parseScenario, type ScenarioError } from '../scenario';
import { parseKernelSpec, simulate, type Run, type SimProgress } from '../core';

export interface RunResult {
  run?: Run;
  errors: ScenarioError[];
}

/** The explorer's cap on recorded events (its memory), below the simulator's own default. */
export const EXPLORER_MAX_EVENTS = 1_000_000;

export function runSource(source: string, kernelSpec: string | null, onProgress?: (progress: SimProgress) => void): RunResult {
  const parsed = parseScenario(source, 'scenario.scn');
  if (!parsed.ok) return { errors: parsed.errors };
  const outcome = simulate(parsed.scenario, {
    file: 'scenario.scn',
    ...(kernelSpec ? { kernel: parseKernelSpec(kernelSpec) } : {}),
    maxEvents: EXPLORER_MAX_EVENTS,
    ...(onProgress ? { onProgress } : {}),
  });
  if (!outcome.ok) return { errors: [outcome.error] };
  return { run: outcome.run, errors: [] };
}
