// Where stepping lands: by event, by statement, by chapter. Pure functions over a run.

import type { Run } from '../core';

export type StepUnit = 'event' | 'statement' | 'chapter';

export function clampStep(run: Run, step: number): number {
  return Math.max(0, Math.min(run.lastStep, Math.round(step)));
}

/** The first step of the statement execution that contains `step` (0 when none). */
function statementStart(run: Run, step: number): number {
  if (step <= 0) return 0;
  const stmt = run.events[step - 1]!.stmt;
  let s = step;
  while (s > 1 && run.events[s - 2]!.stmt === stmt) s--;
  return s;
}

/** Step forward to the end of the next statement, or back to the end of the previous one. */
export function statementStep(run: Run, step: number, dir: 1 | -1): number {
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
export function chapterStep(run: Run, step: number, dir: 1 | -1): number {
  const starts = run.chapters.map((c) => c.step);
  if (dir > 0) return starts.find((s) => s > step) ?? run.lastStep;
  const before = starts.filter((s) => s < step);
  return before.length ? before[before.length - 1]! : 0;
}

export function moveStep(run: Run, step: number, unit: StepUnit, dir: 1 | -1): number {
  if (unit === 'event') return clampStep(run, step + dir);
  if (unit === 'statement') return statementStep(run, step, dir);
  return chapterStep(run, step, dir);
}

/** The chapter the step is in (the last one that started at or before it). */
export function chapterAt(run: Run, step: number): { index: number; title: string } | undefined {
  let found: { index: number; title: string } | undefined;
  run.chapters.forEach((c, index) => {
    if (c.step <= step) found = { index, title: c.title };
  });
  return found;
}

/**
 * The step of `other` that corresponds to `step` of `run`: both runs execute the same statements in the same
 * order (only their events differ), so align on the statement sequence number: the last step of `other` whose
 * statement is not later than the one `run` is in. Events of one statement are shown at its end in `other`.
 */
export function alignedStep(run: Run, step: number, other: Run): number {
  if (step <= 0) return 0;
  const stmt = run.events[step - 1]!.stmt;
  const events = other.events;
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.stmt <= stmt) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
