// The real count beside a simulated one on the memory view's folio card, while an imported trace has a check
// about this folio whose state is the one on screen. Red when the two differ.

import { useExplorer } from '../../store/explorer';
import { checksForFolio } from '../../store/realtrace';
import { useAlignment } from '../../store/realtraceStore';

type Check = ReturnType<typeof checksForFolio>[number];

/** The imported trace's last check about this folio at the step on screen, if any. */
export function useRealCheck(folio: number): Check | null {
  const a = useAlignment();
  const run = useExplorer((s) => s.run);
  const step = useExplorer((s) => s.step);
  if (!a || !run) return null;
  const checks = checksForFolio(a, run, folio, step);
  return checks[checks.length - 1] ?? null;
}

/** The text the mark shows (also part of the folio card's accessible name). */
export function realCheckText(c: Check): string {
  return `real ${c.field} ${c.real}${c.agree ? '' : ` ≠ ${c.simulated}`}`;
}

export function RealCountMark({ check: c, folio, x, y }: { check: Check | null; folio: number; x: number; y: number }) {
  if (!c) return null;
  return (
    <g className="rt-mark-g">
      <title>{`real kernel, line ${c.line} (${c.text}): ${c.real}; simulated ${c.simulated}`}</title>
      <text className={`rt-mark ${c.agree ? 'rt-mark-ok' : 'rt-mark-bad'}`} x={x} y={y} textAnchor="end" data-testid="rt-folio-real" data-folio={folio} data-field={c.field}>
        {realCheckText(c)}
      </text>
    </g>
  );
}
