// A readable, stable text form of a run's events: used by the command line (--trace) and golden tests.

import type { Run } from './run';

export function formatTrace(run: Run): string {
  return run.events
    .map((e, i) => `${String(i + 1).padStart(5)} L${String(e.line).padEnd(3)} ${e.kind.padEnd(6)} ${e.chain.join(' → ') || '-'}\n        ${e.text}${e.note ? `\n        note: ${e.note}` : ''}`)
    .join('\n');
}
