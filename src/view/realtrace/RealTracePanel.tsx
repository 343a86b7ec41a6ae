// The agreement panel: an imported real trace beside the simulation. Which kernel it was recorded on and the
// preset chosen for it, the summary "agrees on N of M checks", every check (real value beside the simulated
// one; a click goes to the step), what could not be measured, and the real count changes with the function
// that made each.

import { useExplorer } from '../../store/explorer';
import { agreementSummary } from '../../store/realtrace';
import { useAlignment, useRealTrace } from '../../store/realtraceStore';
import './realtrace.css';

const PAGE_NAME: Record<string, string> = { zero: 'zero page', hugezero: 'huge zero folio' };

export function RealTracePanel() {
  const trace = useRealTrace((s) => s.trace);
  const pick = useRealTrace((s) => s.pick);
  const from = useRealTrace((s) => s.from);
  const kernelSpec = useExplorer((s) => s.kernelSpec);
  const a = useAlignment();
  if (!trace || !pick) return null;
  const close = () => useRealTrace.getState().clear();
  if (!a) {
    return (
      <section className="rt-panel" aria-label="Real trace">
        <span>The scenario no longer is the one recorded in {from}; its real counts are not shown.</span>{' '}
        <button type="button" className="link" onClick={close}>
          close the trace
        </button>
      </section>
    );
  }
  const all = a.checks.length > 0 && a.agreed === a.checks.length;
  const goto = (step: number, folio?: number) => {
    const s = useExplorer.getState();
    s.pause();
    s.seek(step);
    if (folio !== undefined) s.selectFolio(folio);
  };
  return (
    <section className="rt-panel" aria-label="Real trace">
      <header className="rt-head">
        <strong className={`rt-summary ${all ? 'rt-ok' : 'rt-bad'}`} data-testid="rt-summary">
          Real kernel {trace.kernel.release}: {agreementSummary(a)}
        </strong>
        <span className="rt-pick" data-testid="rt-pick">
          {pick.reason}
          {kernelSpec !== pick.spec ? ` (now running under ${kernelSpec ?? 'the default kernel'} instead)` : ''}
        </span>
        <button type="button" className="link" onClick={close}>
          close the trace
        </button>
      </header>
      <table className="rt-checks">
        <thead>
          <tr>
            <th>line</th>
            <th>expectation</th>
            <th>simulated</th>
            <th>real</th>
            <th>agreement</th>
          </tr>
        </thead>
        <tbody>
          {a.checks.map((c) => (
            <tr key={c.line} className={c.agree ? 'rt-row-ok' : 'rt-row-bad'} data-line={c.line} onClick={() => goto(c.step, c.folio)} title={`Go to step ${c.step}`}>
              <td>{c.line}</td>
              <td>
                <code>{c.text}</code>
              </td>
              <td data-testid="rt-sim">{c.simulated}</td>
              <td data-testid="rt-real">{c.real}</td>
              <td>{c.agree ? '✓ agrees' : '✗ differs'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(a.unmeasured.length > 0 || a.missing.length > 0) && (
        <details className="rt-more">
          <summary>
            {a.unmeasured.length + a.missing.length} expectation{a.unmeasured.length + a.missing.length === 1 ? '' : 's'} not measured on the real kernel
          </summary>
          <ul>
            {a.unmeasured.map((u) => (
              <li key={u.line}>
                line {u.line} <code>{u.text}</code>: {u.reason}
              </li>
            ))}
            {a.missing.map((u) => (
              <li key={u.line}>
                line {u.line} <code>{u.text}</code>: not in the trace
              </li>
            ))}
          </ul>
        </details>
      )}
      {a.changes.length > 0 && (
        <details className="rt-more">
          <summary>
            {a.changes.length} real count change{a.changes.length === 1 ? '' : 's'} traced
          </summary>
          <ul>
            {a.changes.map((c, i) => (
              <li key={i} data-testid="rt-change">
                line {c.line}: {PAGE_NAME[c.page] ?? c.role} {c.field} {c.from} → {c.to}{' '}
                {c.func ? (
                  <>
                    in <code>{c.func}</code>
                  </>
                ) : (
                  'outside the probed functions'
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
