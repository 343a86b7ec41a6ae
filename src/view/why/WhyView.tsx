// "Ask why", as a pure component: the selected folio's counters, who holds its references at this step (the
// rows add up to the refcount), its refcount over the whole run, and the step that last changed it.

import { useRef } from 'react';
import type { CatalogFolio, FolioView } from '../../core';
import { useWidth } from '../common/useWidth';
import { HOLDER_KIND_COLOR, HOLDER_KIND_LABEL, KIND_COLOR, KIND_LABEL, folioLabel, formatCount } from '../common/palette';
import { CHART_BOX, folioSize, holderTable, pfnHex, seriesChart, type SeriesPoint } from './layout';

export interface WhyViewProps {
  folio: CatalogFolio;
  /** The folio at this step; undefined when it is not allocated at this step. */
  view: FolioView | undefined;
  step: number;
  lastStep: number;
  series: readonly SeriesPoint[];
  /** The last step at or before this one whose event changed the refcount (0: none). */
  lastChange: number;
  /** The close action's name and shortcut (from the shared action list). */
  close: { label: string; keyLabel: string };
  onJump(): void;
  onClose(): void;
}

export function WhyView({ folio, view, step, lastStep, series, lastChange, close, onJump, onClose }: WhyViewProps) {
  const name = folioLabel(folio);
  return (
    <>
      <header className="panel-title why-title">
        <span>Ask why</span>
        <button type="button" className="why-close" title={`${close.label} (${close.keyLabel})`} aria-label={close.label} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body why-body">
        <div className="why-name">
          <span className="why-swatch" style={{ background: KIND_COLOR[folio.kind] }} />
          <strong>{name}</strong>
          <span className="why-kind">{KIND_LABEL[folio.kind]}</span>
        </div>
        <div className="why-facts">
          pfn {pfnHex(folio.pfn)} · {folioSize(folio.order)}
          {folio.order > 0 ? ` (order ${folio.order})` : ''}
          {folio.file !== undefined ? ` · ${folio.file} index ${folio.index ?? 0}` : ''}
        </div>
        {view ? <Counters view={view} /> : <p className="why-absent">Not allocated at step {step}.</p>}
        {view && <Holders view={view} />}
        <Chart series={series} lastStep={lastStep} step={step} current={view?.refcount} name={name} />
        <div className="why-jump">
          <button type="button" onClick={onJump} data-step={lastChange} disabled={lastChange === step}>
            Jump to the step that last changed this
          </button>
          <span className="why-jump-step" data-field="last-change">
            {lastChange === 0 ? 'never changed before this step (step 0)' : lastChange === step ? `this step (${step}) changed it` : `step ${lastChange}`}
          </span>
        </div>
      </div>
    </>
  );
}

function Counters({ view }: { view: FolioView }) {
  const flags = [view.exclusive && 'AnonExclusive', view.dirty && 'dirty', view.reserved && 'reserved', view.pinned && 'maybe DMA-pinned'].filter((x): x is string => Boolean(x));
  return (
    <>
      <dl className="why-counters">
        <div>
          <dt>refcount</dt>
          <dd data-folio={view.id} data-field="refcount" className={`${view.refcount < 0 ? 'bad' : ''}${formatCount(view.refcount).length > 8 ? ' long' : ''}`.trim() || undefined}>
            {formatCount(view.refcount)}
          </dd>
        </div>
        <div>
          <dt>mapcount</dt>
          <dd data-folio={view.id} data-field="mapcount">
            {formatCount(view.mapcount)}
          </dd>
        </div>
        <div>
          <dt>pincount</dt>
          <dd data-folio={view.id} data-field="pincount">
            {formatCount(view.pincount)}
          </dd>
        </div>
      </dl>
      {flags.length > 0 && (
        <div className="why-flags">
          {flags.map((f) => (
            <span key={f} className="why-flag">
              {f}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

function Holders({ view }: { view: FolioView }) {
  const table = holderTable(view);
  return (
    <table className="why-holders">
      <caption>Who holds the {formatCount(view.refcount)} reference{view.refcount === 1 ? '' : 's'}</caption>
      <thead>
        <tr>
          <th scope="col">holder</th>
          <th scope="col">refs</th>
          <th scope="col">pins</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.length === 0 && (
          <tr>
            <td colSpan={3} className="hint">
              nobody
            </td>
          </tr>
        )}
        {table.rows.map((r) => (
          <tr key={r.key} className={r.leaked ? 'leak' : undefined} data-holder={r.key}>
            <td>
              <span className="why-holder-swatch" style={{ background: HOLDER_KIND_COLOR[r.kind] ?? 'var(--holder-kernel)' }} title={HOLDER_KIND_LABEL[r.kind] ?? r.kind} />
              {r.leaked ? (
                <>
                  <strong>leaked</strong>: {r.owner} should have released {r.refs === 1 ? 'it' : 'them'}
                </>
              ) : (
                r.label
              )}
            </td>
            <td className="num" data-field="refs">
              {formatCount(r.refs)}
            </td>
            <td className="num" data-field="pins">
              {r.pins ? formatCount(r.pins) : ''}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">sum {table.unaccounted !== 0 ? '≠ refcount' : table.wrapped ? '= refcount mod 2³²' : '= refcount'}</th>
          <td className={`num${table.unaccounted !== 0 ? ' bad' : ''}`} data-folio={view.id} data-field="held">
            {formatCount(table.refs)}
          </td>
          <td className="num">{table.pins ? formatCount(table.pins) : ''}</td>
        </tr>
        {table.wrapped && (
          <tr className="leak">
            <td colSpan={3}>
              The 32-bit refcount wrapped: {formatCount(table.refs)} references read as {formatCount(view.refcount)}.
            </td>
          </tr>
        )}
        {table.unaccounted !== 0 && (
          <tr className="leak">
            <td colSpan={3}>
              {formatCount(table.unaccounted)} reference{Math.abs(table.unaccounted) === 1 ? '' : 's'} owned by no holder (refcount {formatCount(view.refcount)})
            </td>
          </tr>
        )}
      </tfoot>
    </table>
  );
}

function Chart({ series, lastStep, step, current, name }: { series: readonly SeriesPoint[]; lastStep: number; step: number; current: number | undefined; name: string }) {
  // Laid out at the column's width and drawn 1:1: a fixed-size picture scaled down to a narrow column would
  // draw its axis labels under 12 CSS px.
  const figure = useRef<HTMLElement>(null);
  const measured = useWidth(figure, CHART_BOX.width, 200, 0);
  const box = { ...CHART_BOX, width: measured };
  const c = seriesChart(series, lastStep, step, current, box);
  const { width, height, margin } = box;
  const [x0, x1] = c.x.range() as [number, number];
  return (
    <figure className="why-chart" ref={figure}>
      <figcaption>
        refcount over the run <span className="hint">({c.kind === 'symlog' ? 'symmetric log scale' : 'linear scale'})</span>
      </figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Refcount of ${name} over the run, step ${step} marked`} data-scale={c.kind}>
        {c.ticks.map((t) => (
          <g key={t.value} className="why-ytick">
            <line x1={x0} x2={x1} y1={t.y} y2={t.y} />
            <text x={x0 - 5} y={t.y} dy="0.32em" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        <path className="why-area" d={c.area} />
        <path className="why-line" d={c.line} />
        {c.negative && <line className="why-zero" x1={x0} x2={x1} y1={c.zeroY} y2={c.zeroY} />}
        {c.cursor.x - x0 > 64 && (
          <text className="why-xlabel" x={x0} y={height - 4}>
            0
          </text>
        )}
        {x1 - c.cursor.x > 64 && (
          <text className="why-xlabel" x={x1} y={height - 4} textAnchor="end">
            {lastStep}
          </text>
        )}
        <g className="why-cursor">
          <line x1={c.cursor.x} x2={c.cursor.x} y1={margin.top - 2} y2={height - margin.bottom} />
          {c.cursor.y !== undefined && <circle cx={c.cursor.x} cy={c.cursor.y} r={3.5} />}
          <text x={c.cursor.x} y={height - 4} textAnchor={c.cursor.x > (x0 + x1) / 2 ? 'end' : 'start'} dx={c.cursor.x > (x0 + x1) / 2 ? -3 : 3}>
            step {step}
          </text>
        </g>
      </svg>
    </figure>
  );
}
