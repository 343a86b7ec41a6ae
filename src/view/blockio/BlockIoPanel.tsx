// The block I/O panel: reads the store and renders BlockIoView at the panel's width, animating submission
// (a bar slides into the in-flight lane) and completion (released pages fade) with d3 transitions.

import { useRef } from 'react';
import { useExplorer, selectRun, selectSelectedFolio, selectSnapshot } from '../../store/explorer';
import { useTrackedTweens } from '../common/trackedTween';
import { useWidth } from '../common/useWidth';
import { usePresentFit } from '../present/usePresentFit';
import { DESK_TYPE, useProjectorType } from '../present/viewType';
import { BlockIoView } from './BlockIoView';
import './blockio.css';

const MIN_WIDTH = 340;

export function BlockIoPanel() {
  const snapshot = useExplorer(selectSnapshot);
  const run = useExplorer(selectRun);
  const selectedFolio = useExplorer(selectSelectedFolio);
  const body = useRef<HTMLDivElement>(null);
  const width = useWidth(body, 640, MIN_WIDTH);
  // On a projector, drawn small enough for the narrowest lanes (and useWidth's inset) to fit the panel.
  usePresentFit(body, MIN_WIDTH + 16);
  // Projector type is wider in the picture's units than the desk's the layout counts in.
  const type = useProjectorType();
  const textScale = type ? type.xs / DESK_TYPE.xs : 1;

  useTrackedTweens(body);

  const inFlight = snapshot?.bios.filter((b) => b.state === 'submitted').length ?? 0;
  return (
    <section className="panel bio-panel" aria-label="Block I/O">
      <header className="panel-title">
        <span>Block I/O</span>
        {snapshot && (
          <span className="bio-title-counts">
            {snapshot.dios.length} dio · {snapshot.bios.length} bio · {inFlight} in flight
          </span>
        )}
      </header>
      <div className="panel-body bio-body" ref={body}>
        {snapshot && run ? (
          <BlockIoView snapshot={snapshot} catalog={run.catalog} selectedFolio={selectedFolio} width={width} textScale={textScale} onSelectFolio={(id) => useExplorer.getState().selectFolio(id)} />
        ) : null}
      </div>
    </section>
  );
}
