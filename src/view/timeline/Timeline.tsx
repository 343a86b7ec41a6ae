// The timeline strip at the bottom, connected to the store: the model is built once per run, the scrubber's
// width is measured, and scrubbing seeks at most once per animation frame.

import { useEffect, useMemo, useState } from 'react';
import { useExplorer, selectPlaying, selectRun, selectStep } from '../../store/explorer';
import { ACTIONS } from '../actions';
import { buildTimelineModel } from './layout';
import { frameThrottle } from './scrub';
import { TRANSPORT, TimelineView, type TransportId } from './TimelineView';
import './timeline.css';
import { timelineMarks } from '../realtrace/TimelineMarks';
import { useAlignment } from '../../store/realtraceStore';

/** Button names and titles come from the shared action list, with the keyboard shortcut of each. */
export const TRANSPORT_TITLES: Partial<Record<TransportId, { label: string; keyLabel: string }>> = Object.fromEntries(
  TRANSPORT.flatMap((t) => {
    const a = ACTIONS.find((x) => x.id === t.id);
    return a ? [[t.id, { label: a.label, keyLabel: a.keyLabel }]] : [];
  }),
);

function runAction(id: string): void {
  ACTIONS.find((a) => a.id === id)?.run();
}

/** The width of an element, kept up to date; the callback ref goes on the element. */
function useWidth<T extends HTMLElement>(): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el || typeof ResizeObserver === 'undefined') return;
    // The observer reports the size once on observe(), then on every change.
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) setWidth(Math.floor(w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, width];
}

export function Timeline() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const playing = useExplorer(selectPlaying);
  const speed = useExplorer((s) => s.speed);
  const pauseAtChapters = useExplorer((s) => s.pauseAtChapters);
  const alignment = useAlignment();
  // A new run is a new object: the model is built once per run.
  const model = useMemo(() => (run ? buildTimelineModel(run) : null), [run]);
  const [measure, width] = useWidth<HTMLDivElement>();
  const throttle = useMemo(() => frameThrottle<number>((s) => useExplorer.getState().seek(s)), []);
  useEffect(() => () => throttle.cancel(), [throttle]);

  return (
    <section className="panel timeline" aria-label="Timeline">
      {model && (
        <TimelineView
          model={model}
          width={width}
          measure={measure}
          step={step}
          playing={playing}
          speed={speed}
          titles={TRANSPORT_TITLES}
          onCommand={runAction}
          onScrubStart={() => useExplorer.getState().pause()}
          onScrub={(s) => throttle.schedule(s)}
          onScrubEnd={(s) => {
            throttle.schedule(s);
            throttle.flush();
          }}
          onSliderKey={(unit, dir) => {
            const st = useExplorer.getState();
            if (unit === 'start') st.seek(0);
            else if (unit === 'end') st.seek(st.run?.lastStep ?? 0);
            else st.move(unit, dir);
          }}
          onSeek={(s) => useExplorer.getState().seek(s)}
          onSpeed={(n) => useExplorer.getState().setSpeed(n)}
          overlay={alignment ? (scale) => timelineMarks(alignment, scale) : undefined}
        />
      )}
      <label className="tl-chapter-stop" title="Playback pauses at the start of each chapter">
        <input type="checkbox" checked={pauseAtChapters} onChange={(e) => useExplorer.getState().setPauseAtChapters(e.target.checked)} />
        stop at chapters
      </label>
    </section>
  );
}
