// Compare mode, pure: two columns (the main run and the compare run at the end of the same statement), each
// with the memory view of its snapshot; folios whose counters differ are ringed on both sides with the other
// side's value; below, where the runs diverge, statement by statement.

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import type { Catalog, SimEvent, Snapshot } from '../../core';
import type { Divergence } from '../../store/compare';
import { MemoryView } from '../memory/MemoryView';
import { RefGraphView } from '../graph/RefGraphView';
import { focusSlots, graphAt, graphGeometry, needsFocus, runSlots } from '../graph/layout';
import { PAD, bornTest, cellWidthFor, columnsFor, frameItems, frameModel, layoutFrames, rowTop, visibleRows } from '../memory/layout';
import { describeDifference, diffBadge, divergenceHeadline, statementText, type FolioDiff } from './diff';

export interface CompareSideData {
  /** Kernel label (`v6.4`, `v6.1 zero-pin=skip`). */
  label: string;
  catalog: Pick<Catalog, 'folios' | 'holders'>;
  events: readonly SimEvent[];
  snapshot: Snapshot;
}

export interface CompareViewProps {
  source: string;
  a: CompareSideData;
  /** Null while the compare run is missing (its error is shown instead). */
  b: CompareSideData | null;
  error: string | null;
  diffs: ReadonlyMap<number, FolioDiff>;
  divergences: readonly Divergence[];
  selected: number | null;
  onSelect(id: number): void;
  onSeek(step: number): void;
  onExit(): void;
  /** Initial column width before measuring (tests, server rendering). */
  width?: number;
}

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export function CompareView(props: CompareViewProps) {
  const { source, a, b, error, diffs, divergences, selected, onSelect, onSeek, onExit } = props;
  const step = a.snapshot.step;
  const headline = b ? divergenceHeadline(divergences, source, a.label, b.label) : '';
  const here = diffs.size;
  return (
    <section className="panel compare" aria-label="Compare kernels">
      <header className="panel-title compare-title">
        <span>{`Compare: ${a.label} vs ${b?.label ?? '…'}`}</span>
        <span className="compare-count" data-testid="compare-count">
          {b ? (here === 0 ? 'same counters at this step' : `${here} folio${here === 1 ? ' differs' : 's differ'} at this step`) : ''}
        </span>
        <button type="button" className="small compare-exit" onClick={onExit}>
          Exit compare
        </button>
      </header>
      <div className="panel-body compare-body">
        <div className="compare-columns">
          <CompareSide side="a" data={a} caption={`main run · step ${step}`} other={b?.label ?? ''} diffs={diffs} selected={selected} onSelect={onSelect} width={props.width} />
          {b ? (
            <CompareSide
              side="b"
              data={b}
              caption={`step ${b.snapshot.step} (end of the same statement)`}
              other={a.label}
              diffs={diffs}
              selected={selected}
              onSelect={onSelect}
              width={props.width}
            />
          ) : (
            <div className="compare-side compare-missing" data-side="b">
              <p role="alert">{error ? `The compare kernel cannot run this scenario: ${error}` : 'Running the compare kernel…'}</p>
            </div>
          )}
        </div>
        {b && (
          <div className="compare-divergences" aria-label="Where the runs diverge">
            <p className="compare-headline" data-testid="compare-headline">
              {headline}
            </p>
            {divergences.length > 0 && (
              <ol className="compare-list">
                {divergences.map((d) => {
                  const current = step === d.stepA;
                  return (
                    <li key={`${d.stmt}`}>
                      <button type="button" className={`compare-item${current ? ' current' : ''}`} aria-current={current ? 'step' : undefined} data-step={d.stepA} onClick={() => onSeek(d.stepA)}>
                        <span className="compare-line">{`line ${d.line}`}</span>
                        <code>{statementText(source, d.line)}</code>
                        <span className="compare-what">{describeDifference(d, a.label, b.label, 2)}</span>
                      </button>
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

interface SideProps {
  side: 'a' | 'b';
  data: CompareSideData;
  caption: string;
  /** The other side's kernel label, for the difference marks. */
  other: string;
  diffs: ReadonlyMap<number, FolioDiff>;
  selected: number | null;
  onSelect(id: number): void;
  width?: number | undefined;
}

function CompareSide({ side, data, caption, other, diffs, selected, onSelect, width: initialWidth }: SideProps) {
  const { catalog, events, snapshot } = data;
  const model = useMemo(() => frameModel(catalog, events), [catalog, events]);
  const scroller = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: initialWidth ?? 600, height: 600 });
  const [scrollTop, setScrollTop] = useState(0);
  useIsoLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setBox((bx) => (bx.width === el.clientWidth && bx.height === el.clientHeight ? bx : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const layout = useMemo(() => {
    const columns = columnsFor(box.width);
    return layoutFrames(model, columns, cellWidthFor(box.width, columns));
  }, [model, box.width]);
  const rows = visibleRows(layout, scrollTop, box.height, 2);
  const items = frameItems(model, layout, snapshot.folios, snapshot.step, rows[0], rows[1]);
  const top = rows[0] === 0 ? 0 : rowTop(rows[0]) - PAD;
  const bottom = rows[1] >= layout.rows ? layout.height : rowTop(rows[1]);
  const marks = items.filter((it) => diffs.has(it.id));
  const focus = needsFocus(catalog);
  const slots = useMemo(() => (focus ? focusSlots(catalog, snapshot, selected).slots : runSlots(catalog, snapshot)), [focus, catalog, snapshot, selected]);
  const geo = useMemo(() => graphGeometry(Math.max(320, box.width - 4)), [box.width]);
  const picture = useMemo(() => graphAt(slots, geo, snapshot, { selected, born: bornTest(model, snapshot.folios, snapshot.step) }), [slots, geo, snapshot, selected, model]);
  return (
    <div className={`compare-side compare-side-${side}`} data-side={side}>
      <div className="compare-side-head">
        <span className="compare-kernel" data-testid={`compare-kernel-${side}`}>
          {data.label}
        </span>
        <span className="compare-caption">{caption}</span>
      </div>
      <div className="compare-scroller" ref={scroller} style={{ height: layout.height + 2 }} onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}>
        <div className="compare-spacer" style={{ height: layout.height, width: layout.width }}>
          <div className="compare-band" style={{ top }}>
            <MemoryView model={model} layout={layout} folios={snapshot.folios} step={snapshot.step} rows={rows} eventFolio={snapshot.event?.folio} selected={selected} onSelect={onSelect} />
            <svg className="compare-marks" width={layout.width} height={Math.max(0, bottom - top)} viewBox={`0 ${top} ${layout.width} ${Math.max(0, bottom - top)}`} aria-hidden="true">
              {marks.map((it) => {
                const d = diffs.get(it.id)!;
                const badge = diffBadge(d, side, other);
                const count = String(it.view?.refcount ?? '');
                const room = (it.w - 24 - 46) / Math.max(1, count.length * 0.6);
                const fontSize = Math.max(12, Math.min(28, room));
                const bw = 10 + badge.text.length * 7;
                const bx = Math.min(it.w - bw - 8, 14 + count.length * fontSize * 0.62 + 8);
                return (
                  <g key={it.id} className="cmp-diff" transform={`translate(${it.x},${it.y})`} data-folio={it.id} data-diff={badge.field} data-side={side} data-other={badge.other}>
                    <rect className="cmp-diff-ring" x={-3} y={-3} width={it.w + 6} height={it.h + 6} rx={8} />
                    <g className="cmp-diff-badge" transform={`translate(${bx},${it.view ? 56 : it.h / 2 - 30})`}>
                      <title>{badge.title}</title>
                      <rect width={bw} height={19} rx={4} />
                      <text x={bw / 2} y={14} textAnchor="middle">
                        {badge.text}
                      </text>
                    </g>
                  </g>
                );
              })}
            </svg>
          </div>
        </div>
      </div>
      <div className="compare-graph" aria-label={`Refcount graph (${data.label})`}>
        <div className="compare-graph-title">Refcount graph</div>
        <RefGraphView picture={picture} geo={geo} onSelect={onSelect} />
      </div>
    </div>
  );
}
