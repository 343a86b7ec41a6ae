// A small picture of one stop, for the speaker view: the real views (page tables, memory, refcount graph, block
// I/O) drawn from that step's snapshot, the ones a `show` statement chose (else all four) laid out as the
// audience sees them, at a fixed size in the views' own units and scaled down to the box it is given.

import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Snapshot, ViewName } from '../../core';
import type { RunView } from '../../store/runView';
import { PageTablesView } from '../pagetables/PageTablesView';
import { MemoryView } from '../memory/MemoryView';
import { RefGraphView } from '../graph/RefGraphView';
import { BlockIoView } from '../blockio/BlockIoView';
import { focusSlots, graphAt, graphGeometry, needsFocus, runSlots } from '../graph/layout';
import { PAD, ROW_H, bornTest, cellWidthFor, columnsFor, frameModel, layoutFrames, rowOfFolio, rowTop, visibleRows } from '../memory/layout';
import '../pagetables/pagetables.css';
import '../memory/memory.css';
import '../graph/graph.css';
import '../blockio/blockio.css';

/**
 * The picture's own size, in the views' units: about what the audience's picture area holds in presentation
 * mode (its views are drawn 1.8× there), so the small picture has the audience's proportions of text to room.
 */
export const SLIDE_W = 720;
export const SLIDE_H = 405;
const GAP = 8;
const TITLE_H = 22;

const TITLES: Record<ViewName, string> = { pagetables: 'Page tables', memory: 'Memory', graph: 'Refcount graph', blockio: 'Block I/O' };
/** The panel class each view's colours hang on (its CSS variables are set on the panel). */
const PANEL_CLASS: Record<ViewName, string> = { pagetables: 'pt-panel', memory: 'memory-panel', graph: 'graph-panel', blockio: 'bio-panel' };

/** Where each chosen view goes: one fills the picture, two side by side, three in a row, four two by two. */
export function slideCells(views: readonly ViewName[]): { view: ViewName; x: number; y: number; w: number; h: number }[] {
  const n = views.length;
  const cols = n === 4 ? 2 : Math.max(1, n);
  const rows = n === 4 ? 2 : 1;
  const w = (SLIDE_W - GAP * (cols - 1)) / cols;
  const h = (SLIDE_H - GAP * (rows - 1)) / rows;
  return views.map((view, i) => ({ view, x: (i % cols) * (w + GAP), y: Math.floor(i / cols) * (h + GAP), w, h }));
}

interface Props {
  run: RunView;
  snapshot: Snapshot;
  views: readonly ViewName[];
  /** What the picture is, for assistive technology ("current stop", "next stop"). */
  label: string;
}

export function SlidePicture({ run, snapshot, views, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(480);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth((w) => (el.clientWidth > 0 && el.clientWidth !== w ? el.clientWidth : w));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const scale = width / SLIDE_W;
  return (
    <div className="slide-picture" ref={box} style={{ height: Math.round(SLIDE_H * scale) }} role="img" aria-label={`${label}: ${views.map((v) => TITLES[v]).join(', ')} at step ${snapshot.step}`} data-step={snapshot.step} data-views={views.join(' ')}>
      <div className="slide-canvas" inert style={{ width: SLIDE_W, height: SLIDE_H, transform: `scale(${scale})` }}>
        {slideCells(views).map((c) => (
          <section key={c.view} className={`slide-cell slide-${c.view} ${PANEL_CLASS[c.view]}`} style={{ left: c.x, top: c.y, width: c.w, height: c.h }}>
            <header className="slide-cell-title">{TITLES[c.view]}</header>
            <div className="slide-cell-body" style={{ height: c.h - TITLE_H }}>
              <CellView view={c.view} run={run} snapshot={snapshot} width={c.w - 2} height={c.h - TITLE_H} />
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}

const none = () => undefined;

/** The narrowest the page tables and block I/O views are laid out at; a narrower cell draws them smaller. */
const MIN_VIEW_W = 460;

function Shrunk({ width, height, children }: { width: number; height: number; children: (width: number) => ReactNode }) {
  const inner = Math.max(width, MIN_VIEW_W);
  const k = width / inner;
  return <div style={{ width: inner, height: height / k, transform: `scale(${k})`, transformOrigin: '0 0' }}>{children(inner)}</div>;
}

function CellView({ view, run, snapshot, width, height }: { view: ViewName; run: RunView; snapshot: Snapshot; width: number; height: number }) {
  if (view === 'pagetables') {
    return <Shrunk width={width} height={height}>{(w) => <PageTablesView snapshot={snapshot} catalog={run.catalog} task={snapshot.currentTask} width={w} selectedFolio={null} focusVa={null} onSelectFolio={none} />}</Shrunk>;
  }
  if (view === 'blockio') {
    return <Shrunk width={width} height={height}>{(w) => <BlockIoView snapshot={snapshot} catalog={run.catalog} selectedFolio={null} width={w} onSelectFolio={none} />}</Shrunk>;
  }
  if (view === 'graph') return <GraphCell run={run} snapshot={snapshot} width={width} height={height} />;
  return <MemoryCell run={run} snapshot={snapshot} width={width} height={height} />;
}

function GraphCell({ run, snapshot, width, height }: { run: RunView; snapshot: Snapshot; width: number; height: number }) {
  const catalog = run.catalog;
  const model = useMemo(() => frameModel(catalog, run.events), [catalog, run.events]);
  const slots = useMemo(() => (needsFocus(catalog) ? focusSlots(catalog, snapshot, null).slots : runSlots(catalog, snapshot)), [catalog, snapshot]);
  const geo = useMemo(() => graphGeometry(width), [width]);
  const picture = useMemo(() => graphAt(slots, geo, snapshot, { selected: null, born: bornTest(model, snapshot.folios, snapshot.step) }), [slots, geo, snapshot, model]);
  // A tall graph is drawn smaller so that all of it is in the picture.
  const scale = Math.min(1, height / Math.max(1, picture.height), width / Math.max(1, geo.width));
  return <RefGraphView picture={picture} geo={geo} onSelect={none} scale={scale} />;
}

function MemoryCell({ run, snapshot, width, height }: { run: RunView; snapshot: Snapshot; width: number; height: number }) {
  const catalog = run.catalog;
  const model = useMemo(() => frameModel(catalog, run.events), [catalog, run.events]);
  const layout = useMemo(() => {
    const columns = columnsFor(width);
    return layoutFrames(model, columns, cellWidthFor(width, columns));
  }, [model, width]);
  // The rows around the current event's folio, as the memory panel scrolls to it.
  const eventRow = snapshot.event?.folio !== undefined ? rowOfFolio(model, layout, snapshot.event.folio) : -1;
  const fit = Math.max(1, Math.floor((height - PAD) / ROW_H));
  const first = eventRow >= fit ? eventRow - fit + 1 : 0;
  const rows = visibleRows(layout, rowTop(first), height, 0);
  // A large folio can be wider than the cell: draw it all, smaller.
  const scale = Math.min(1, width / Math.max(1, layout.width));
  return <MemoryView model={model} layout={layout} folios={snapshot.folios} step={snapshot.step} rows={rows} eventFolio={snapshot.event?.folio} selected={null} onSelect={none} scale={scale} />;
}
