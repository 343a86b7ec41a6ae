// The refcount graph panel: who holds each reference. Holders keep the slots the run's catalog gives them;
// edges appear (drawn in), change weight, and fade out as the steps go by. Clicking a folio selects it.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { selectRun, selectSelectedFolio, selectSnapshot, useExplorer } from '../../store/explorer';
import type { Snapshot } from '../../core';
import type { RunView } from '../../store/runView';
import { transitionMs } from '../common/motion';
import { HOLDER_KIND_COLOR } from '../common/palette';
import { bornTest, frameModel } from '../memory/layout';
import { EDGE_LABEL_CHAR_W, RefGraphView } from './RefGraphView';
import { focusSlots, runSlots, graphAt, graphGeometry, holderChars, needsFocus, roomForWrappedLabels, stretchSlots, GRAPH_MIN_WIDTH, HOLDER_CHAR_W, type GraphEdge } from './layout';
import { usePresentFit } from '../present/usePresentFit';
import { DESK_TYPE, useProjectorType } from '../present/viewType';
import './graph.css';

export function RefGraphPanel() {
  const run = useExplorer(selectRun);
  const snapshot = useExplorer(selectSnapshot);
  const selected = useExplorer(selectSelectedFolio);
  const selectFolio = useExplorer((s) => s.selectFolio);
  return (
    <section className="panel graph-panel" aria-label="Refcount graph">
      {run && snapshot ? (
        <GraphBody run={run} snapshot={snapshot} selected={selected} onSelect={selectFolio} />
      ) : (
        <header className="panel-title">Refcount graph</header>
      )}
    </section>
  );
}

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

interface BodyProps {
  run: RunView;
  snapshot: Snapshot;
  selected: number | null;
  onSelect(id: number | null): void;
}

function GraphBody({ run, snapshot, selected, onSelect }: BodyProps) {
  const catalog = run.catalog;
  const body = useRef<HTMLDivElement>(null);
  const note = useRef<HTMLParagraphElement>(null);
  const [box, setBox] = useState({ width: 720, height: 360 });
  const focus = needsFocus(catalog);
  // On a projector, drawn small enough for the graph's narrowest geometry (360 units, + 2) to fit the panel.
  usePresentFit(body, GRAPH_MIN_WIDTH + 2);
  useIsoLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    // The height the picture may take: the body's, less the focus note above the picture.
    const measure = () =>
      setBox((b) => {
        const width = el.clientWidth || 720;
        const height = (el.clientHeight || 360) - (note.current?.offsetHeight ?? 0);
        return b.width === width && b.height === height ? b : { width, height };
      });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [focus]);
  const model = useMemo(() => frameModel(catalog, run.events), [catalog, run.events]);
  const { slots, shown } = useMemo(
    () => (focus ? focusSlots(catalog, snapshot, selected) : { slots: runSlots(catalog, snapshot), shown: catalog.folios.length }),
    [focus, catalog, snapshot, selected],
  );
  // A graph taller than the panel scrolls: drawn any smaller, its smallest text would be under 12 CSS px.
  const scale = 1;
  const labelChars = useMemo(() => slots.holders.reduce((n, h) => Math.max(n, h.short.length), 0), [slots]);
  // The projector's type is wider in the picture's units than the desk's the geometry counts in.
  const type = useProjectorType();
  const charW = type ? (HOLDER_CHAR_W * type.sm) / DESK_TYPE.sm : HOLDER_CHAR_W;
  const labelCharW = type ? (EDGE_LABEL_CHAR_W * type.xs) / DESK_TYPE.xs : EDGE_LABEL_CHAR_W;
  const geo = useMemo(() => graphGeometry(box.width / scale - 2, labelChars, charW), [box.width, scale, labelChars, charW]);
  // Labels too long for the holder column take two lines; then a graph with few nodes spreads down the
  // panel's height (a little short of it: no scroll bar appears).
  const fitted = useMemo(() => stretchSlots(roomForWrappedLabels(slots, holderChars(geo.holderW, geo.charW)), box.height - 4), [slots, geo, box.height]);
  const picture = useMemo(() => graphAt(fitted, geo, snapshot, { selected, born: bornTest(model, snapshot.folios, snapshot.step) }), [fitted, geo, snapshot, selected, model]);
  const ghosts = useEdgeGhosts(picture.edges, run);
  const refs = picture.edges.reduce((n, e) => n + e.refs, 0);
  const leaked = picture.edges.filter((e) => e.leaked).reduce((n, e) => n + e.refs, 0);
  const holders = picture.holders.filter((h) => h.active).length;
  return (
    <>
      <header className="panel-title">
        <span>Refcount graph</span>
        <span className="graph-summary">
          {`${refs.toLocaleString('en-US')} references · ${holders} holder${holders === 1 ? '' : 's'}`}
          {leaked > 0 && <span className="graph-leaks">{` · ${leaked.toLocaleString('en-US')} leaked`}</span>}
        </span>
      </header>
      <div className="panel-body graph-body" ref={body}>
        {focus && (
          <p className="graph-focus-note" ref={note}>
            {`${catalog.folios.length.toLocaleString('en-US')} folios and ${catalog.holders.length.toLocaleString('en-US')} holders in this run: showing the ${shown} in focus (the zero pages, the selected folio, the current event's, and folios held by pins, bios, dios, vfio, pipes or leaks). Select a folio in Memory to see its holders.`}
          </p>
        )}
        <RefGraphView picture={picture} geo={geo} ghosts={ghosts} onSelect={onSelect} scale={scale} labelCharW={labelCharW} />
      </div>
      {/* Under the scrolling picture, not in it: a tall graph never pushes the legend out of the panel. */}
      <GraphLegend />
    </>
  );
}

/** Edges that were there at the previous step and are gone now, kept for one transition so they can fade out. */
function useEdgeGhosts(edges: readonly GraphEdge[], resetKey: unknown): GraphEdge[] {
  const prev = useRef<{ edges: readonly GraphEdge[]; key: unknown } | null>(null);
  const [ghosts, setGhosts] = useState<GraphEdge[]>([]);
  useIsoLayoutEffect(() => {
    const before = prev.current;
    prev.current = { edges, key: resetKey };
    const ms = transitionMs();
    const now = new Set(edges.map((e) => e.key));
    const gone = !before || before.key !== resetKey || ms === 0 ? [] : before.edges.filter((e) => !now.has(e.key));
    setGhosts((g) => (g.length === 0 && gone.length === 0 ? g : gone));
    if (gone.length === 0) return;
    const timer = setTimeout(() => setGhosts([]), ms);
    return () => clearTimeout(timer);
  }, [edges, resetKey]);
  return ghosts;
}

function GraphLegend() {
  return (
    <div className="graph-legend" aria-hidden="true">
      <span className="graph-legend-width">
        edge width: log of references (×1 … 1024 pin bias …) · label at the folio end
      </span>
      <span className="graph-legend-leak">
        <span className="graph-legend-line" style={{ background: HOLDER_KIND_COLOR.leak }} /> leaked (no holder will release it)
      </span>
    </div>
  );
}
