// Where stepping lands: by event, by statement, by chapter. Pure functions over a run.

import type { Chapter, SimEvent } from '../core';

/** What stepping reads of a run (a RunView, or the core's Run in tests and the CLI). */
export interface StepSource {
  readonly events: readonly SimEvent[];
  readonly chapters: readonly Chapter[];
  readonly lastStep: number;
}

export type StepUnit = 'event' | 'statement' | 'chapter';

export function clampStep(run: StepSource, step: number): number {
  return Math.max(0, Math.min(run.lastStep, Math.round(step)));
}

/** The first step of the statement execution that contains `step` (0 when none). */
function statementStart(run: StepSource, step: number): number {
  if (step <= 0) return 0;
  const stmt = run.events[step - 1]!.stmt;
  let s = step;
  while (s > 1 && run.events[s - 2]!.stmt === stmt) s--;
  return s;
}

/** Step forward to the end of the next statement, or back to the end of the previous one. */
export function statementStep(run: StepSource, step: number, dir: 1 | -1): number {
  const events = run.events;
  if (dir > 0) {
    if (step >= run.lastStep) return run.lastStep;
    const stmt = events[step]!.stmt;
    let s = step + 1;
    while (s < run.lastStep && events[s]!.stmt === stmt) s++;
    return s;
  }
  if (step <= 0) return 0;
  const start = statementStart(run, step);
  return Math.max(0, start - 1);
}

/** The next or previous chapter start (`mark`), or the ends of the run. */
export function chapterStep(run: StepSource, step: number, dir: 1 | -1): number {
  const starts = run.chapters.map((c) => c.step);
  if (dir > 0) return starts.find((s) => s > step) ?? run.lastStep;
  const before = starts.filter((s) => s < step);
  return before.length ? before[before.length - 1]! : 0;
}

export function moveStep(run: StepSource, step: number, unit: StepUnit, dir: 1 | -1): number {
  if (unit === 'event') return clampStep(run, step + dir);
  if (unit === 'statement') return statementStep(run, step, dir);
  return chapterStep(run, step, dir);
}

/** The chapter the step is in (the last one that started at or before it). */
export function chapterAt(run: StepSource, step: number): { index: number; title: string } | undefined {
  let found: { index: number; title: string } | undefined;
  run.chapters.forEach((c, index) => {
    if (c.step <= step) found = { index, title: c.title };
  });
  return found;
}

/** How a step of one run maps onto another run of the same scenario (see `alignStep`). */
export interface Alignment {
  step: number;
  /** `end`: at the end of the same statement; `event`: the same event of it, by position; `none`: before it. */
  kind: 'end' | 'event' | 'none';
  /** With `event`: 1-based position of the event within the statement in `other`, and how many it has there. */
  index?: number;
  count?: number;
}

/** First index in `events` whose statement number is at least `stmt` (events are in statement order). */
function firstAtOrAfter(events: readonly { stmt: number }[], stmt: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.stmt < stmt) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The step of `other` that corresponds to `step` of `run`. Both runs execute the same statements in the same
 * order (only their events differ), so they are aligned on the statement sequence number. Inside a statement
 * the k-th event of `run` faces the k-th event of `other` (its last one when `other` has fewer), so stepping
 * through a statement steps both sides; the last event of a statement always faces the other's last event,
 * where the counters of the two runs are comparable. A statement that made no event in `other` faces the step
 * before it.
 */
export function alignStep(run: StepSource, step: number, other: StepSource): Alignment {
  if (step <= 0) return { step: 0, kind: 'none' };
  const stmt = run.events[step - 1]!.stmt;
  const startA = firstAtOrAfter(run.events, stmt);
  const endA = firstAtOrAfter(run.events, stmt + 1); // one past the statement's last event
  const startB = firstAtOrAfter(other.events, stmt);
  const endB = firstAtOrAfter(other.events, stmt + 1);
  if (endB === startB) return { step: startB, kind: 'none' };
  if (step === endA) return { step: endB, kind: 'end' };
  const count = endB - startB;
  const index = Math.min(step - startA, count);
  if (index === count) return { step: endB, kind: 'end' };
  return { step: startB + index, kind: 'event', index, count };
}

/** The aligned step alone (see `alignStep`). */
export function alignedStep(run: StepSource, step: number, other: StepSource): number {
  return alignStep(run, step, other).step;
}
