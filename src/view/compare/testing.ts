// Test helpers for compare mode: a scenario run under a given kernel (only imported by tests, which read the
// scenario files and pass the text).

import { parseScenario } from '../../scenario';
import { parseKernelSpec, simulate, type Run } from '../../core';

export const DIO_WRITE = 'scenarios/builtin/01-dio-write-zero-page.scn';
export const VFIO = 'scenarios/builtin/03-vfio-zero-page.scn';

export function runUnder(text: string, kernel: string): { run: Run; text: string } {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(`scenario does not parse: ${JSON.stringify(parsed.errors)}`);
  const outcome = simulate(parsed.scenario, { kernel: parseKernelSpec(kernel) });
  if (!outcome.ok) throw new Error(`scenario does not run: ${outcome.error.message}`);
  // The catalog is built while the live state is at the last step (see memory/testing.ts).
  void outcome.run.catalog;
  return { run: outcome.run, text };
}
