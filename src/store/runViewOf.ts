// For tests and tools: run a scenario on this thread and give its RunView. Kept apart from runView.ts so the
// explorer's first-picture bundle does not pull in the simulator (the page runs it in a worker).
import type { ScenarioError } from '../scenario';
import { runSource } from './runSource';
import { viewOfRun, type RunView } from './runView';

/** Parse and simulate `source` (as the explorer does, on this thread) and give the run's view, or the errors. */
export function runViewOf(source: string, kernelSpec: string | null): { view?: RunView; errors: ScenarioError[] } {
  const result = runSource(source, kernelSpec);
  return result.run ? { view: viewOfRun(result.run), errors: [] } : { errors: result.errors };
}
