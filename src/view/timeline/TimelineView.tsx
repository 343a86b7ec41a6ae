// The timeline strip, as a pure component: transport buttons, the scrubber (ticks, statement ends, chapter
// flags, problem markers, elided spans, the handle) and the readout. It takes the precomputed model and the
// width; the connected `Timeline` supplies the store.

import { memo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import {
  TRACK,
  binEvents,
  chapterFlags,
  chapterIndexAt,
  densityPaths,
  elidedBand,
  eventTicks,
  problemMarkers,
  speedOptions,
  stepAtX,
  stepScale,
  tickMode,
  tickPath,
  type StepScale,
  type TimelineModel,
} from './layout';

/** The transport commands, by the id of the matching keyboard action in src/view/actions.ts. */
export type TransportId = 'start' | 'chapter-prev' | 'statement-prev' | 'event-prev' | 'play' | 'event-next' | 'statement-next' | 'chapter-next' | 'end';

const TEXT = '\uFE0E'; // text presentation: never an emoji
export const TRANSPORT: { id: TransportId; glyph: string; back: boolean }[] = [
  { id: 'start', glyph: `|◀${TEXT}`, back: true },
  { id: 'chapter-prev', glyph: `◀${TEXT}◀${TEXT}`, back: true },
  { id: 'statement-prev', glyph: `◀${TEXT}`, back: true },
  { id: 'event-prev', glyph: '‹', back: true },
  { id: 'play', glyph: '', back: false },
  { id: 'event-next', glyph: '›', back: false },
  { id: 'statement-next', glyph: `▶${TEXT}`, back: false },
  { id: 'chapter-next', glyph: `▶${TEXT}▶${TEXT}`, back: false },
  { id: 'end', glyph: `▶${TEXT}|`, back: false },
];

export interface TimelineViewProps {
  model: TimelineModel;
  /** Width of the scrubber in pixels (0 before it is measured: nothing is drawn). */
  width: number;
  /** Called with the scrubber's cell, so the caller can measure it. */
  measure?: (el: HTMLDivElement | null) => void;
  step: number;
  playing: boolean;
  speed: number;
  /** What each command is called and its shortcut (from the shared action list): "Next event", "→". */
  titles: Partial<Record<TransportId, { label: string; keyLabel: string }>>;
  onCommand(id: TransportId): void;
  /** A position while dragging (throttled by the caller) or a click. */
  onScrub(step: number): void;
  onScrubStart?(): void;
  onScrubEnd?(step: number): void;
  /** A key the focused slider handles itself. */
  onSliderKey(unit: 'event' | 'statement' | 'chapter' | 'start' | 'end', dir: 1 | -1): void;
  onSeek(step: number): void;
  onSpeed(eventsPerSecond: number): void;
  /** Extra marks drawn over the track (e.g. an imported real trace's disagreements), given the step scale. */
  overlay?: (scale: StepScale) => ReactNode;
}

export function TimelineView(props: TimelineViewProps) {
  const { model, width, step, playing, speed, titles, measure } = props;
  const lastStep = model.lastStep;
  const scale = stepScale(lastStep, width);
  const chapterIndex = chapterIndexAt(model.chapters, step);
  const chapter = chapterIndex >= 0 ? model.chapters[chapterIndex] : undefined;
  const valueText = `step ${step} of ${lastStep}${chapter ? `, chapter ${chapterIndex + 1}: ${chapter.title}` : ''}`;
  return (
    <div className="tl">
      <div className="tl-transport" role="group" aria-label="Step controls">
        {TRANSPORT.map((t) => {
          const atEdge = t.id !== 'play' && (t.back ? step <= 0 : step >= lastStep);
          const named = titles[t.id];
          const label = t.id === 'play' ? (playing ? 'Pause' : 'Play') : (named?.label ?? t.id);
          const title = named ? `${named.label} (${named.keyLabel})` : label;
          return (
            <button
              key={t.id}
              type="button"
              className={`tl-btn${t.id === 'play' ? ' tl-play' : ''}${atEdge ? ' tl-edge' : ''}`}
              title={title}
              aria-label={label}
              aria-disabled={atEdge || undefined}
              {...(t.id === 'play' ? { 'aria-pressed': playing } : {})}
              data-command={t.id}
              onClick={() => props.onCommand(t.id)}
            >
              {t.id === 'play' ? (playing ? '❚❚' : `▶${TEXT}`) : t.glyph}
            </button>
          );
        })}
        <label className="tl-speed" title="Playback speed in events per second (] faster, [ slower)">
          <select value={speed} aria-label="Playback speed, events per second" onChange={(e) => {
              props.onSpeed(Number(e.target.value));
              // Give the keys back to stepping once a speed is chosen.
              e.currentTarget.blur();
            }}>
            {speedOptions(speed).map((s) => (
              <option key={s} value={s}>
                {s}/s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="tl-track-wrap" style={{ height: TRACK.height }} ref={measure}>
        <Scrubber {...props} scale={scale} valueText={valueText} />
        <div className="tl-flags">
          {chapterFlags(model.chapters, scale, width).map((f) => (
            <button
              key={f.index}
              type="button"
              className={`tl-flag ${f.align}${f.index === chapterIndex ? ' current' : ''}`}
              style={{ left: f.x, maxWidth: Math.max(8, f.room) }}
              title={`Chapter ${f.index + 1}: ${f.title} (step ${f.step})`}
              aria-label={`${f.title} (jump to chapter ${f.index + 1}, step ${f.step})`}
              data-step={f.step}
              onClick={() => props.onSeek(f.step)}
            >
              {f.label}
            </button>
          ))}
        </div>
        <div className="tl-markers">
          {problemMarkers(model.problems, scale).map((m) => (
            <button
              key={`${m.step}-${m.x}`}
              type="button"
              tabIndex={-1}
              className={`tl-marker${m.problems.some((p) => p.step <= step) ? ' past' : ''}`}
              style={{ left: m.x }}
              title={m.problems.map((p) => `step ${p.step}: ${p.message}`).join('\n')}
              aria-label={`Jump to step ${m.step}: ${m.problems[0]!.message}${m.problems.length > 1 ? ` and ${m.problems.length - 1} more` : ''}`}
              data-step={m.step}
              onClick={() => props.onSeek(m.step)}
            />
          ))}
        </div>
      </div>
      <div className="tl-readout" aria-live="off">
        <div className="tl-counter" data-field="step">
          step <strong>{step}</strong> / {lastStep}
        </div>
        <div className="tl-chapter" title={chapter?.title}>
          {chapter ? (
            <>
              <span className="tl-chapter-no">
                {chapterIndex + 1}/{model.chapters.length}
              </span>{' '}
              {chapter.title}
            </>
          ) : (
            <span className="hint">{model.chapters.length ? 'before the first chapter' : 'no chapters'}</span>
          )}
        </div>
      </div>
    </div>
  );
}

type ScrubberProps = TimelineViewProps & { scale: StepScale; valueText: string };

function Scrubber(props: ScrubberProps) {
  const { model, width, step, scale } = props;
  const lastStep = model.lastStep;
  const dragging = useRef(false);
  // Where a click would land, while the pointer hovers the track.
  const [hover, setHover] = useState<number | null>(null);
  const x = scale(step);
  const stepAt = (e: PointerEvent<HTMLDivElement>) => stepAtX(scale, e.clientX - e.currentTarget.getBoundingClientRect().left, lastStep);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    dragging.current = true;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    props.onScrubStart?.();
    props.onScrub(stepAt(e));
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const at = stepAt(e);
    if (dragging.current) {
      setHover(null);
      props.onScrub(at);
    } else if (e.pointerType !== 'touch') setHover(at);
  };
  const end = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    dragging.current = false;
    e.currentTarget.releasePointerCapture?.(e.pointerId);
    props.onScrubEnd?.(stepAt(e));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = e.key;
    let handled = true;
    if (k === 'ArrowRight' || k === 'ArrowUp') props.onSliderKey(e.shiftKey ? 'statement' : 'event', 1);
    else if (k === 'ArrowLeft' || k === 'ArrowDown') props.onSliderKey(e.shiftKey ? 'statement' : 'event', -1);
    else if (k === 'PageDown') props.onSliderKey('chapter', 1);
    else if (k === 'PageUp') props.onSliderKey('chapter', -1);
    else if (k === 'Home') props.onSliderKey('start', -1);
    else if (k === 'End') props.onSliderKey('end', 1);
    else handled = false;
    if (handled && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // The window-level shortcut handler would do the same again: the slider owns these keys while focused.
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <div
      className="tl-scrubber"
      role="slider"
      tabIndex={0}
      aria-label="Step"
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={lastStep}
      aria-valuenow={step}
      aria-valuetext={props.valueText}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onPointerLeave={() => setHover(null)}
      onKeyDown={onKeyDown}
    >
      <svg width={width} height={TRACK.height} viewBox={`0 0 ${width} ${TRACK.height}`} aria-hidden="true" focusable="false">
        {width > 0 && <TrackLayer model={model} width={width} />}
        {width > 0 && props.overlay?.(scale)}
        <rect className="tl-played" x={scale.range()[0]} y={TRACK.top} width={Math.max(0, x - scale.range()[0]!)} height={TRACK.bottom - TRACK.top} />
        {hover !== null && hover !== step && (
          <g className="tl-hover" transform={`translate(${Math.round(scale(hover)) + 0.5},0)`}>
            <line y1={TRACK.top} y2={TRACK.bottom} />
            <text y={TRACK.bottom + 12} textAnchor={scale(hover) > width - 60 ? 'end' : scale(hover) < 60 ? 'start' : 'middle'}>
              {hover}
            </text>
          </g>
        )}
        <g className="tl-handle" transform={`translate(${Math.round(x) + 0.5},0)`}>
          <line y1={TRACK.top - 4} y2={TRACK.bottom + 2} />
          <circle cy={TRACK.bottom + 2} r={5.5} />
        </g>
      </svg>
    </div>
  );
}

/** Everything that depends only on the run and the width: drawn once, not on every step. */
const TrackLayer = memo(function TrackLayer({ model, width }: { model: TimelineModel; width: number }) {
  const scale = stepScale(model.lastStep, width);
  const [x0, x1] = scale.range() as [number, number];
  const trackWidth = x1 - x0;
  const mode = tickMode(model.lastStep, trackWidth);
  const ticks = mode === 'ticks' ? eventTicks(model, scale) : null;
  const density = mode === 'density' ? densityPaths(binEvents(model, scale), TRACK.tickTop - 6, TRACK.bottom) : null;
  const ends = tickPath(model.statementEnds, scale, TRACK.top, TRACK.bottom).d;
  const flags = tickPath(
    model.chapters.map((c) => c.step),
    scale,
    2,
    TRACK.bottom,
  ).d;
  return (
    <g className="tl-static" data-mode={mode}>
      <defs>
        <pattern id="tl-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="4" height="4" className="tl-hatch-bg" />
          <line x1="0" y1="0" x2="0" y2="4" className="tl-hatch-line" />
        </pattern>
      </defs>
      <rect className="tl-band" x={x0} y={TRACK.top} width={trackWidth} height={TRACK.bottom - TRACK.top} />
      {ticks && (
        <>
          <path className="tl-ticks" d={ticks.others} />
          <path className="tl-ticks tl-ticks-count" d={ticks.counts} />
        </>
      )}
      {density && (
        <>
          <path className="tl-density-all" d={density.all} />
          <path className="tl-density" d={density.counts} />
        </>
      )}
      <path className="tl-stmt" d={ends} />
      <path className="tl-flagpole" d={flags} />
      {model.elided.map((e) => {
        const b = elidedBand(e.step, scale);
        return (
          <rect key={e.step} className="tl-elided" x={b.x} y={TRACK.top + 2} width={b.width} height={TRACK.bottom - TRACK.top - 4} data-step={e.step}>
            <title>{e.text}</title>
          </rect>
        );
      })}
    </g>
  );
});
