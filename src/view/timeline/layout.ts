// The timeline's geometry: a linear scale over steps, the marks of a run (statement ends, chapters, failed
// expectations and violations, elided repeat spans) and their placement in pixels. Pure functions; the
// component draws what they return. Every layer is bounded by the width in pixels, not by the number of
// events, so a 100,000-event run costs no more DOM than a 40-event one.

import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { Chapter, ExpectationResult, Finding, SimEvent } from '../../core';

/** Vertical layout of the scrubber (SVG user units = CSS pixels). */
export const TRACK = {
  height: 66,
  /** Chapter flag labels sit on this baseline. */
  flagY: 11,
  /** The band that holds the event ticks. */
  top: 20,
  bottom: 48,
  /** Short ticks (events) span this. */
  tickTop: 30,
  /** Red problem markers hang below the track. */
  markerY: 50,
  marginX: 12,
} as const;

/** Ticks closer than this (in pixels) turn into a density histogram. */
export const MIN_TICK_GAP = 3;
/** Width of one histogram bin in pixels. */
export const BIN_PX = 2;
/** Approximate width of one character of an 11px flag label. */
export const LABEL_CHAR_PX = 6.2;

export type StepScale = ScaleLinear<number, number>;

/** Steps 0..lastStep onto [marginX, width - marginX], clamped. A run with no events still gets a usable domain. */
export function stepScale(lastStep: number, width: number, marginX: number = TRACK.marginX): StepScale {
  const x0 = marginX;
  const x1 = Math.max(x0 + 1, width - marginX);
  return scaleLinear()
    .domain([0, Math.max(1, lastStep)])
    .range([x0, x1])
    .clamp(true);
}

/** The step under a horizontal position (rounded to the nearest step, clamped to the run). */
export function stepAtX(scale: StepScale, x: number, lastStep: number): number {
  const s = Math.round(scale.invert(x));
  return Math.max(0, Math.min(lastStep, s));
}

/** Whether a step counts a counter change (drawn darker in ticks, and measured by the histogram). */
export function changesCount(e: Pick<SimEvent, 'kind'>): boolean {
  return e.kind === 'ref' || e.kind === 'pin' || e.kind === 'map' || e.kind === 'alloc' || e.kind === 'free';
}

export interface Problem {
  step: number;
  /** 'expect' for a failed expectation; otherwise the finding kind. */
  kind: string;
  message: string;
  line: number;
}

export interface TimelineModel {
  lastStep: number;
  /** Steps (1..lastStep) whose event changes a count, as a compact array indexed by step-1. */
  countMask: Uint8Array;
  /** The last step of each statement execution: where "next statement" lands. */
  statementEnds: number[];
  chapters: { title: string; step: number; line: number }[];
  problems: Problem[];
  elided: { step: number; iterations: number; text: string }[];
}

interface RunLike {
  readonly events: readonly SimEvent[];
  readonly chapters: readonly Chapter[];
  readonly findings: readonly Finding[];
  readonly expectations: readonly ExpectationResult[];
  readonly lastStep: number;
}

/** Everything the timeline marks, computed once per run. */
export function buildTimelineModel(run: RunLike): TimelineModel {
  const events = run.events;
  const n = events.length;
  const countMask = new Uint8Array(n);
  const statementEnds: number[] = [];
  const elided: TimelineModel['elided'] = [];
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (changesCount(e)) countMask[i] = 1;
    const next = events[i + 1];
    if (next === undefined || next.stmt !== e.stmt) statementEnds.push(i + 1);
    if (e.kind === 'elided') elided.push({ step: i + 1, iterations: e.iterations ?? 0, text: e.text });
  }
  const problems: Problem[] = [
    ...run.expectations.filter((x) => !x.ok).map((x) => ({ step: x.step, kind: 'expect', message: `Expectation failed: ${x.text} (actual: ${x.actual})`, line: x.line })),
    // A failed expectation is also a finding of kind 'expect': the expectation above already stands for it.
    ...run.findings.filter((f) => f.kind !== 'expect').map((f) => ({ step: f.step, kind: f.kind, message: f.count > 1 ? `${f.message} (×${f.count})` : f.message, line: f.line })),
  ].sort((a, b) => a.step - b.step);
  return {
    lastStep: run.lastStep,
    countMask,
    statementEnds,
    chapters: run.chapters.map((c) => ({ title: c.title, step: c.step, line: c.line })),
    problems,
    elided,
  };
}

/** 'ticks' when every event gets its own tick at least MIN_TICK_GAP apart, else 'density'. */
export function tickMode(eventCount: number, trackWidth: number): 'ticks' | 'density' {
  return eventCount * MIN_TICK_GAP <= trackWidth ? 'ticks' : 'density';
}

const px = (x: number) => Math.round(x) + 0.5;

/** One SVG path of vertical ticks at the given steps, at most one per pixel column. */
export function tickPath(steps: Iterable<number>, scale: StepScale, y0: number, y1: number): { d: string; count: number } {
  const seen = new Set<number>();
  const parts: string[] = [];
  for (const s of steps) {
    const x = px(scale(s));
    if (seen.has(x)) continue;
    seen.add(x);
    parts.push(`M${x},${y0}V${y1}`);
  }
  return { d: parts.join(''), count: parts.length };
}

/** Tick paths for every event (steps 1..lastStep): count-changing ones and the rest, separately. */
export function eventTicks(model: TimelineModel, scale: StepScale): { counts: string; others: string; ticks: number } {
  const counts: number[] = [];
  const others: number[] = [];
  for (let s = 1; s <= model.lastStep; s++) (model.countMask[s - 1] ? counts : others).push(s);
  const a = tickPath(counts, scale, TRACK.tickTop - 6, TRACK.bottom);
  const b = tickPath(others, scale, TRACK.tickTop, TRACK.bottom);
  return { counts: a.d, others: b.d, ticks: a.count + b.count };
}

export interface Bin {
  x0: number;
  x1: number;
  /** Events whose step falls in the bin. */
  events: number;
  /** Of which change a count. */
  counts: number;
}

/** Events per BIN_PX-wide pixel bin over the track (empty bins omitted), in order. */
export function binEvents(model: TimelineModel, scale: StepScale, binPx: number = BIN_PX): Bin[] {
  const [x0, x1] = scale.range() as [number, number];
  const nBins = Math.max(1, Math.ceil((x1 - x0) / binPx));
  const events = new Uint32Array(nBins);
  const counts = new Uint32Array(nBins);
  for (let s = 1; s <= model.lastStep; s++) {
    const b = Math.min(nBins - 1, Math.floor((scale(s) - x0) / binPx));
    events[b]!++;
    if (model.countMask[s - 1]) counts[b]!++;
  }
  const bins: Bin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (events[b] === 0) continue;
    bins.push({ x0: x0 + b * binPx, x1: Math.min(x1, x0 + (b + 1) * binPx), events: events[b]!, counts: counts[b]! });
  }
  return bins;
}

/**
 * The histogram as two paths: `all` covers every bin that holds events (so the track reads as a dense forest
 * of ticks), and `counts` is a bar per bin whose height is the share of its events that change a count.
 */
export function densityPaths(bins: readonly Bin[], y0: number, y1: number): { all: string; counts: string } {
  const h = y1 - y0;
  let all = '';
  let counts = '';
  for (const b of bins) {
    all += `M${b.x0},${y1}V${y0}H${b.x1}V${y1}Z`;
    if (b.counts === 0) continue;
    const bh = Math.max(1, Math.round((h * b.counts) / b.events));
    counts += `M${b.x0},${y1}V${y1 - bh}H${b.x1}V${y1}Z`;
  }
  return { all, counts };
}

export interface Flag {
  step: number;
  x: number;
  title: string;
  /** The title cut to the room it has ('' when there is none). */
  label: string;
  /** Which side of its pole the label sits on: right normally, left when the right has no room. */
  align: 'right' | 'left';
  /** The most width the label may take (pixels). */
  room: number;
  index: number;
}

/** Cut text to at most `chars` characters, with an ellipsis when cut. */
export function truncate(text: string, chars: number): string {
  if (chars <= 1) return '';
  if (text.length <= chars) return text;
  return `${text.slice(0, Math.max(1, chars - 1)).trimEnd()}…`;
}

/**
 * Cut a label at a word boundary, with an ellipsis: a flag's visible text is then whole words of the chapter's
 * title, which its accessible name contains (a speech user saying what they see is understood, WCAG 2.5.3).
 * Empty when not even the first word fits.
 */
export function truncateWords(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const words = text.split(/\s+/);
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (next.length + 1 > chars) break;
    out = next;
  }
  return out ? `${out.replace(/[\s:;,.–-]+$/, '')}…` : '';
}

/** Padding and border of a flag label, in pixels (see .tl-flag). */
const FLAG_CHROME = 14;

/**
 * Chapter flags with labels that never overlap each other or run off either edge: a label goes right of its
 * pole up to the next pole, or left of it (back to the end of the previous label) when that side has more room.
 */
export function chapterFlags(chapters: TimelineModel['chapters'], scale: StepScale, width: number, charPx: number = LABEL_CHAR_PX): Flag[] {
  const xs = chapters.map((c) => scale(c.step));
  const flags: Flag[] = [];
  let taken = 0; // the right end of the previous label
  chapters.forEach((c, index) => {
    const x = xs[index]!;
    const rightRoom = (xs[index + 1] ?? width) - x - 4;
    const leftRoom = x - taken - 4;
    const need = c.title.length * charPx + FLAG_CHROME;
    const align = need <= rightRoom || rightRoom >= leftRoom ? 'right' : 'left';
    const room = align === 'right' ? rightRoom : leftRoom;
    const label = truncateWords(c.title, Math.floor((room - FLAG_CHROME) / charPx));
    const used = label ? Math.min(room, label.length * charPx + FLAG_CHROME) : 2;
    taken = align === 'right' ? x + used : x;
    flags.push({ step: c.step, x, title: c.title, label, align, room: Math.max(0, Math.floor(room)), index });
  });
  return flags;
}

export interface MarkerGroup {
  x: number;
  /** The first problem's step: where a click jumps. */
  step: number;
  problems: Problem[];
}

/** Problems grouped by pixel column, so a burst of findings is one marker listing them all. */
export function problemMarkers(problems: readonly Problem[], scale: StepScale, minGap = 6): MarkerGroup[] {
  const groups: MarkerGroup[] = [];
  for (const p of problems) {
    const x = scale(p.step);
    const last = groups[groups.length - 1];
    if (last && Math.abs(x - last.x) < minGap) last.problems.push(p);
    else groups.push({ x, step: p.step, problems: [p] });
  }
  return groups;
}

/** An elided step as a band one step wide (at least 6 px), centred on its tick. */
export function elidedBand(step: number, scale: StepScale): { x: number; width: number } {
  const half = Math.max(3, (scale(step + 0.5) - scale(step - 0.5)) / 2);
  const c = scale(step);
  return { x: c - half, width: half * 2 };
}

/** Which chapter a step is in (the last that started at or before it). */
export function chapterIndexAt(chapters: readonly { step: number }[], step: number): number {
  let found = -1;
  for (let i = 0; i < chapters.length; i++) if (chapters[i]!.step <= step) found = i;
  return found;
}

/** Speeds offered by the speed control (events per second). */
export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

/** The offered speeds, plus the current one when the keyboard set something else (`]` doubles up to 240). */
export function speedOptions(current: number): number[] {
  const list: number[] = [...SPEEDS];
  if (!list.includes(current)) list.push(current);
  return list.sort((a, b) => a - b);
}
