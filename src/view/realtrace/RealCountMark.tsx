// The real count beside a simulated one on the memory view's folio card, while an imported trace has a check
// about this folio whose state is the one on screen. Red when the two differ.

import { useExplorer } from '../../store/explorer';
import { checksForFolio } from '../../store/realtrace';
import { useAlignment } from '../../store/realtraceStore';

export function RealCountMark({ folio, x, y }: { folio: number; x: number; y: number }) {
  const a = useAlignment();
  const run = useExplorer((s) => s.run);
  const step = useExplorer((s) => s.step);
  if (!a || !run) return null;
  const checks = checksForFolio(a, run, folio, step);
  if (checks.length === 0) return null;
  const c = checks[checks.length - 1]!;
  return (
    <g className="rt-mark-g">
      <title>{`real kernel, line ${c.line} (${c.text}): ${c.real}; simulated ${c.simulated}`}</title>
      <text className={`rt-mark ${c.agree ? 'rt-mark-ok' : 'rt-mark-bad'}`} x={x} y={y} textAnchor="end" data-testid="rt-folio-real" data-folio={folio} data-field={c.field}>
        {`real ${c.field} ${c.real}${c.agree ? '' : ` ≠ ${c.simulated}`}`}
      </text>
    </g>
  );
}
