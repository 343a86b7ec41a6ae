// The memory panel: physical frames in pfn order with their folios' counters, flags and holders. Laid out
// from the run's catalog (nothing moves between steps); only the rows in view are drawn, so a run with
// 262,144 frames scrolls as smoothly as one with six; large runs also get a dense overview of every frame.

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { selectRun, selectSelectedFolio, selectSnapshot, useExplorer } from '../../store/explorer';
import type { Catalog, Snapshot } from '../../core';
import type { RunView } from '../../store/runView';
import { HOLDER_KIND_COLOR, HOLDER_KIND_LABEL, KIND_COLOR, KIND_LABEL } from '../common/palette';
import { MemoryView } from './MemoryView';
import { FrameMap } from './FrameMap';
import { CELL_W, DENSE_THRESHOLD, PAD, ROW_H, cellWidthFor, columnsFor, fitScale, frameModel, layoutFrames, rowOfFolio, rowTop, visibleRows } from './layout';
import { usePresentFit } from '../present/usePresentFit';
import './memory.css';

/** The narrowest memory picture worth drawing on a projector: one column of cards, with its margins. */
const MEMORY_PRESENT_UNITS = 2 * PAD + CELL_W;

export function MemoryPanel() {
  const run = useExplorer(selectRun);
  const snapshot = useExplorer(selectSnapshot);
  const selected = useExplorer(selectSelectedFolio);
  const selectFolio = useExplorer((s) => s.selectFolio);
  return (
    <section className="panel memory-panel" aria-label="Memory">
      {run && snapshot ? (
        <MemoryBody run={run} snapshot={snapshot} selected={selected} onSelect={selectFolio} />
      ) : (
        <header className="panel-title">Memory</header>
      )}
    </section>
  );
}

interface BodyProps {
  run: RunView;
  snapshot: Snapshot;
  selected: number | null;
  onSelect(id: number | null): void;
}

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

function MemoryBody({ run, snapshot, selected, onSelect }: BodyProps) {
  const catalog = run.catalog;
  const model = useMemo(() => frameModel(catalog, run.events), [catalog, run.events]);
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  // On a projector, drawn small enough for a narrow card grid to fit the panel (the cards then wrap).
  usePresentFit(body, MEMORY_PRESENT_UNITS);
  const [box, setBox] = useState({ width: 720, height: 300 });
  const [scrollTop, setScrollTop] = useState(0);
  useIsoLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setBox((b) => (b.width === el.clientWidth && b.height === el.clientHeight ? b : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const scale = useMemo(() => fitScale(model, box.width, box.height), [model, box.width, box.height]);
  const layout = useMemo(() => {
    const width = box.width / scale;
    const columns = columnsFor(width);
    return layoutFrames(model, columns, cellWidthFor(width, columns));
  }, [model, box.width, scale]);
  const rows = visibleRows(layout, scrollTop / scale, box.height / scale, 2);
  const inView = visibleRows(layout, scrollTop / scale, box.height / scale, 0);
  const eventFolio = snapshot.event?.folio;
  const dense = catalog.folios.length >= DENSE_THRESHOLD;

  // The scroll offset as last seen (scroll events) or asked for, so following the action reads no layout.
  const offset = useRef(0);
  const scrollToRow = useCallback(
    (row: number, onlyIfHidden: boolean) => {
      const el = scroller.current;
      if (!el || row < 0) return;
      const top = rowTop(row) * scale;
      const bottom = (rowTop(row) + ROW_H) * scale;
      if (onlyIfHidden && top >= offset.current && bottom <= offset.current + box.height) return;
      const target = Math.max(0, Math.min(layout.height * scale - box.height, top - Math.max(0, (box.height - ROW_H * scale) / 2)));
      offset.current = target;
      setScrollTop(target);
      // Scrolled in the next frame, before its paint: a scrollTop write in the commit would force a layout.
      requestAnimationFrame(() => {
        el.scrollTop = target;
      });
    },
    [scale, box.height, layout.height],
  );
  // Follow the action: bring the current event's folio (or a newly selected one) into view.
  useEffect(() => {
    if (eventFolio !== undefined) scrollToRow(rowOfFolio(model, layout, eventFolio), true);
  }, [eventFolio, model, layout, scrollToRow]);
  useEffect(() => {
    if (selected !== null) scrollToRow(rowOfFolio(model, layout, selected), true);
  }, [selected, model, layout, scrollToRow]);

  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    offset.current = e.currentTarget.scrollTop;
    setScrollTop(offset.current);
  };
  const onPick = useCallback((position: number) => scrollToRow(layout.row[position] ?? 0, false), [layout, scrollToRow]);
  const bandTop = rows[0] === 0 ? 0 : rowTop(rows[0]) - PAD;
  const alive = snapshot.folios.length;

  return (
    <>
      <header className="panel-title">
        <span>Memory</span>
        <span className="memory-summary">
          {`${alive.toLocaleString('en-US')} of ${catalog.folios.length.toLocaleString('en-US')} folios alive · ${model.pages.toLocaleString('en-US')} pages · pfn order${dense ? ` · rows ${rows[0] + 1}–${Math.min(rows[1], layout.rows)} of ${layout.rows.toLocaleString('en-US')}` : ''}`}
        </span>
      </header>
      <div className="panel-body memory-body" ref={body}>
        <MemoryLegend catalog={catalog} showGone={alive < catalog.folios.length} />
        {dense && (
          <FrameMap
            model={model}
            layout={layout}
            folios={snapshot.folios}
            step={snapshot.step}
            width={Math.max(100, box.width - 16)}
            height={48}
            viewRows={inView}
            eventFolio={eventFolio}
            selected={selected}
            onPick={onPick}
          />
        )}
        <div className="memory-scroller" ref={scroller} onScroll={onScroll} data-rows={layout.rows} data-drawn={`${rows[0]}-${rows[1]}`}>
          <div className="memory-spacer" style={{ height: layout.height * scale, width: layout.width * scale }}>
            <div className="memory-band" style={{ top: bandTop * scale }}>
              <MemoryView
                model={model}
                layout={layout}
                folios={snapshot.folios}
                step={snapshot.step}
                rows={rows}
                eventFolio={eventFolio}
                selected={selected}
                onSelect={onSelect}
                scale={scale}
              />
            </div>
          </div>
        </div>
      </div>
    </>
  );
}

/**
 * Folio kinds (with the zero pages' hatching), slot states, and the holder kinds this run uses. Memoized: it
 * scans every folio and holder of the run, and changes only with the run (not with the step or the scroll).
 */
export const MemoryLegend = memo(function MemoryLegend({ catalog, showGone = true }: { catalog: Pick<Catalog, 'folios' | 'holders'>; showGone?: boolean }) {
  const kinds = (['zero', 'hugezero', 'anon', 'file'] as const).filter((k) => catalog.folios.some((f) => f.kind === k));
  const holderKinds: string[] = [];
  for (const h of catalog.holders) {
    const k = h.kind === 'pmd' ? 'map' : h.kind === 'diocur' ? 'dioq' : h.kind;
    if (!holderKinds.includes(k)) holderKinds.push(k);
  }
  return (
    <div className="memory-legend" aria-label="Legend">
      {kinds.map((k) => (
        <span key={k} className="legend-item">
          <span className={`legend-swatch legend-${k}`} style={{ background: k === 'zero' || k === 'hugezero' ? undefined : KIND_COLOR[k], borderColor: KIND_COLOR[k] }} />
          {KIND_LABEL[k]}
        </span>
      ))}
      {showGone && (
        <span className="legend-item">
          <span className="legend-swatch legend-freed" />
          freed
        </span>
      )}
      {showGone && (
        <span className="legend-item">
          <span className="legend-swatch legend-unborn" />
          not yet
        </span>
      )}
      <span className="legend-sep" aria-hidden="true">
        bar:
      </span>
      {holderKinds.map((k) => (
        <span key={k} className="legend-item">
          <span className="legend-bar" style={{ background: HOLDER_KIND_COLOR[k] ?? 'var(--holder-kernel)' }} />
          {k === 'dioq' ? 'dio' : k === 'map' ? 'mapping' : (HOLDER_KIND_LABEL[k] ?? k)}
        </span>
      ))}
    </div>
  );
});
