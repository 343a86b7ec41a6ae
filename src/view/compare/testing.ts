// Test helpers for compare mode: a scenario run under a given kernel (only imported by tests, which read the
// scenario files and pass the text).

import type { RunView } from '../../store/runView';
import { runViewOf } from '../../store/runViewOf';

export const DIO_WRITE = 'scenarios/builtin/01-dio-write-zero-page.scn';
export const VFIO = 'scenarios/builtin/03-vfio-zero-page.scn';

export function runUnder(text: string, kernel: string): { run: RunView; text: string } {
  const { view, errors } = runViewOf(text, kernel);
  if (!view) throw new Error(`scenario does not run: ${JSON.stringify(errors)}`);
  return { run: view, text };
}
