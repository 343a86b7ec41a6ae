// The page-table panel: reads the store and renders PageTablesView. It keeps which task is looked at (the
// current one unless a tab was picked) and which address's walk is explained (hovered, or picked by a click).

import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useExplorer, selectRun, selectSelectedFolio, selectSnapshot } from '../../store/explorer';
import { PageTablesView } from './PageTablesView';
import { useTrackedTweens } from '../common/trackedTween';
import { useWidth } from '../common/useWidth';
import { PRESENT_MIN_WIDTH, TIGHT_WIDTH } from './layout';
import { usePresentFit } from '../present/usePresentFit';
import { useProjectorType } from '../present/viewType';
import './pagetables.css';

export function PageTablesPanel() {
  const snapshot = useExplorer(selectSnapshot);
  const run = useExplorer(selectRun);
  const selectedFolio = useExplorer(selectSelectedFolio);
  const runId = useExplorer((s) => s.runId);
  const [picked, setPicked] = useState<{ runId: number; task: string | null; va: number | null }>({ runId, task: null, va: null });
  const [hoverVa, setHoverVa] = useState<number | null>(null);
  const body = useRef<HTMLDivElement>(null);
  // On a projector the columns are sized from its type and fit narrower bodies (PRESENT_MIN_WIDTH); at the desk,
  // never narrower than the tight columns fit: a narrower body scrolls rather than overlaps.
  const type = useProjectorType();
  const width = useWidth(body, 640, type ? PRESENT_MIN_WIDTH : TIGHT_WIDTH);
  // On a projector, drawn small enough for the tight columns (and useWidth's inset) to fit the panel.
  usePresentFit(body, TIGHT_WIDTH + 16);

  // A new run (edited text, another kernel) starts again from the current task and its event.
  const state = picked.runId === runId ? picked : { runId, task: null, va: null };
  const task = state.task ?? snapshot?.currentTask ?? 'main';

  useTrackedTweens(body);
  const walkHeight = useWalkHeight(body);

  return (
    <section className="panel pt-panel" aria-label="Page tables">
      <header className="panel-title">
        <span>Page tables</span>
        <span className="pt-title-task">
          {task}
          {snapshot && task !== snapshot.currentTask ? ` (current: ${snapshot.currentTask})` : ''}
        </span>
      </header>
      <div className="panel-body pt-body" ref={body}>
        {snapshot && run ? (
          <PageTablesView
            snapshot={snapshot}
            catalog={run.catalog}
            task={task}
            width={width}
            walkHeight={walkHeight}
            {...(type ? { type } : {})}
            selectedFolio={selectedFolio}
            focusVa={hoverVa ?? state.va}
            onSelectFolio={(id) => useExplorer.getState().selectFolio(id)}
            onSelectTask={(t) => setPicked({ runId, task: t === snapshot.currentTask ? null : t, va: null })}
            onHoverVa={setHoverVa}
            onPickVa={(va) => setPicked({ ...state, va: state.va === va ? null : va })}
          />
        ) : null}
      </div>
    </section>
  );
}

/** The height of the walk's scroll area (the body's room under the VMA list and the index strip). */
function useWalkHeight(body: RefObject<HTMLDivElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const el = body.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // The scroll area changes with the body and with what sits above it (tabs, VMA list, strip).
    let watched: HTMLElement | null = null;
    const ro = new ResizeObserver(() => measure());
    const measure = () => {
      const scroll = el.querySelector<HTMLElement>('.pt-scroll');
      if (!scroll) return;
      if (scroll !== watched) {
        if (watched) ro.unobserve(watched);
        ro.observe(scroll);
        watched = scroll;
      }
      setHeight(scroll.clientHeight);
    };
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [body]);
  return height;
}
