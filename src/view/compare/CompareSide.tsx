// One side of compare mode: one of the four views for one kernel's snapshot. The memory view carries the
// difference marks (a ring and the other side's value on each folio whose counters differ).

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { MemoryView } from '../memory/MemoryView';
import { RefGraphView } from '../graph/RefGraphView';
import { PageTablesView } from '../pagetables/PageTablesView';
import { BlockIoView } from '../blockio/BlockIoView';
import { focusSlots, graphAt, graphGeometry, needsFocus, runSlots } from '../graph/layout';
import { PAD, bornTest, cellWidthFor, columnsFor, frameItems, frameModel, layoutFrames, rowTop, visibleRows } from '../memory/layout';
import { diffBadge, type FolioDiff } from './diff';
import { TAB_LABEL, type CompareSideData, type CompareTab } from './CompareView';
import '../pagetables/pagetables.css';
import '../blockio/blockio.css';
import '../memory/memory.css';
import '../graph/graph.css';

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

interface SideProps {
  side: 'a' | 'b';
  tab: CompareTab;
  data: CompareSideData;
  caption: string;
  /** The other side's kernel label, for the difference marks. */
  other: string;
  diffs: ReadonlyMap<number, FolioDiff>;
  selected: number | null;
  onSelect(id: number): void;
  width?: number | undefined;
}

export function CompareSide({ side, tab, data, caption, other, diffs, selected, onSelect, width: initialWidth }: SideProps) {
  const { catalog, events, snapshot } = data;
  const model = useMemo(() => frameModel(catalog, events), [catalog, events]);
  const scroller = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: initialWidth ?? 600, height: 600 });
  const [scrollTop, setScrollTop] = useState(0);
  useIsoLayoutEffect(() => {
    const el = bodyRef.current;
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
  const geo = useMemo(() => graphGeometry(box.width - 4), [box.width]);
  const width = Math.max(300, box.width - 8);
  const picture = useMemo(() => graphAt(slots, geo, snapshot, { selected, born: bornTest(model, snapshot.folios, snapshot.step) }), [slots, geo, snapshot, selected, model]);
  return (
    <div className={`compare-side compare-side-${side}`} data-side={side}>
      <div className="compare-side-head">
        <span className="compare-kernel" data-testid={`compare-kernel-${side}`}>
          {data.label}
        </span>
        <span className="compare-caption">{caption}</span>
      </div>
      <div className="compare-side-body" ref={bodyRef} role="tabpanel" aria-label={`${TAB_LABEL[tab]} under ${data.label}`} tabIndex={-1}>
        {tab === 'memory' && (
        <div className="compare-scroller" ref={scroller} onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}>
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
        )}
        {tab === 'graph' && (
          <div className="compare-graph">
            <RefGraphView picture={picture} geo={geo} onSelect={onSelect} />
          </div>
        )}
        {tab === 'pagetables' && (
          <PageTablesView snapshot={snapshot} catalog={catalog} task={snapshot.currentTask} width={width} selectedFolio={selected} focusVa={null} onSelectFolio={onSelect} />
        )}
        {tab === 'blockio' && <BlockIoView snapshot={snapshot} catalog={catalog} selectedFolio={selected} width={width} onSelectFolio={onSelect} />}
      </div>
    </div>
  );
}
