// The moment a link shows, named so that it survives changes to the simulator, and a fingerprint of what was
// on screen there.
//
// A global step index moves when a later model adds an event before it. So a link also names its moment by
// statement: the source line, which execution of that line (a `repeat` runs a line many times), and which event
// of that execution; and by chapter: the `mark` it follows and how many steps after it. The scenario text
// travels in the link, so its lines do not move. The fingerprint is the counters (refcount, mapcount,
// pincount) of the folios in the snapshot: when the link opens under another model and they differ, the
// explorer says so instead of silently showing something else.

import type { Snapshot } from '../core';
import type { StepSource } from './navigation';

/** Execution `occurrence` (0 = first) of the statement on `line`, event `offset` (0 = first) within it. */
export interface StatementPosition {
  line: number;
  occurrence: number;
  offset: number;
}

/** `offset` steps after the start of chapter `chapter` (an index into `run.chapters`). */
export interface ChapterPosition {
  chapter: number;
  offset: number;
}

export interface MomentPosition {
  /** The global step: what old readers use, and the last resort. */
  step: number;
  at?: StatementPosition;
  chapter?: ChapterPosition;
}

export interface FolioCounters {
  id: number;
  refcount: number;
  mapcount: number;
  pincount: number;
}

export interface Fingerprint {
  /** 8 hex digits over every folio's counters. */
  hash: string;
  /** The counters themselves for the first FINGERPRINT_LISTED folios, so a notice can say what changed. */
  counters: FolioCounters[];
}

/** How many folios' counters a link lists in full (the hash covers them all). */
export const FINGERPRINT_LISTED = 12;

/** Where `step` is, in all three ways. */
export function positionOf(run: StepSource, step: number): MomentPosition {
  const position: MomentPosition = { step };
  if (step >= 1 && step <= run.lastStep) {
    const event = run.events[step - 1]!;
    let start = step - 1;
    while (start > 0 && run.events[start - 1]!.stmt === event.stmt) start--;
    // Count the earlier executions of the same line: each is a run of events with one statement number.
    let occurrence = 0;
    let previousStmt = -1;
    for (let i = 0; i < start; i++) {
      const e = run.events[i]!;
      if (e.line === event.line && e.stmt !== previousStmt) occurrence++;
      previousStmt = e.stmt;
    }
    position.at = { line: event.line, occurrence, offset: step - 1 - start };
  }
  let chapter = -1;
  run.chapters.forEach((c, index) => {
    if (c.step <= step) chapter = index;
  });
  if (chapter >= 0) position.chapter = { chapter, offset: step - run.chapters[chapter]!.step };
  return position;
}

function statementStep(run: StepSource, at: StatementPosition): number | undefined {
  let seen = 0;
  let previousStmt = -1;
  for (let i = 0; i < run.events.length; i++) {
    const e = run.events[i]!;
    const startsExecution = e.stmt !== previousStmt;
    previousStmt = e.stmt;
    if (!startsExecution || e.line !== at.line) continue;
    if (seen++ < at.occurrence) continue;
    // Found the execution: step to its event `offset`, or its last event when it now has fewer.
    let end = i;
    while (end + 1 < run.events.length && run.events[end + 1]!.stmt === e.stmt && end - i < at.offset) end++;
    return end + 1;
  }
  return undefined;
}

function chapterStep(run: StepSource, at: ChapterPosition): number | undefined {
  const chapter = run.chapters[at.chapter];
  if (!chapter) return undefined;
  const next = run.chapters[at.chapter + 1]?.step ?? run.lastStep;
  return Math.min(chapter.step + at.offset, Math.max(chapter.step, next));
}

/** The step of `run` a link's position names: by statement, else by chapter, else the global step. */
export function resolvePosition(run: StepSource, position: MomentPosition): number {
  const byStatement = position.at ? statementStep(run, position.at) : undefined;
  if (byStatement !== undefined) return byStatement;
  const byChapter = position.chapter ? chapterStep(run, position.chapter) : undefined;
  if (byChapter !== undefined) return byChapter;
  return Math.max(0, Math.min(run.lastStep, position.step));
}

/** FNV-1a, 32 bits: short, stable and dependency-free; a fingerprint, not a security check. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function countersOf(snapshot: Snapshot): FolioCounters[] {
  return snapshot.folios
    .map((f) => ({ id: f.id, refcount: f.refcount, mapcount: f.mapcount, pincount: f.pincount }))
    .sort((a, b) => a.id - b.id);
}

export function fingerprintOf(snapshot: Snapshot): Fingerprint {
  const counters = countersOf(snapshot);
  const hash = fnv1a(counters.map((c) => `${c.id}:${c.refcount},${c.mapcount},${c.pincount}`).join(';'));
  return { hash, counters: counters.slice(0, FINGERPRINT_LISTED) };
}

function describeCounters(c: FolioCounters): string {
  return `refcount ${c.refcount}, mapcount ${c.mapcount}, pincount ${c.pincount}`;
}

/**
 * The notice for a link made under another model whose counters no longer match what is on screen, or null
 * when there is nothing to say (same model, no fingerprint, or the same counts).
 */
export function driftNotice(link: { model?: number; fingerprint?: Fingerprint }, snapshot: Snapshot, currentModel: number): string | null {
  if (!link.fingerprint || link.model === undefined || link.model === currentModel) return null;
  const now = fingerprintOf(snapshot);
  if (now.hash === link.fingerprint.hash) return null;
  const here = new Map(countersOf(snapshot).map((c) => [c.id, c]));
  const differences: string[] = [];
  for (const then of link.fingerprint.counters) {
    const c = here.get(then.id);
    if (!c) differences.push(`folio ${then.id} had ${describeCounters(then)} and is not here`);
    else if (c.refcount !== then.refcount || c.mapcount !== then.mapcount || c.pincount !== then.pincount) {
      differences.push(`folio ${then.id} had ${describeCounters(then)}, here ${describeCounters(c)}`);
    }
  }
  const listed = new Set(link.fingerprint.counters.map((c) => c.id));
  const unlisted = [...here.keys()].filter((id) => !listed.has(id));
  if (differences.length === 0) {
    differences.push(unlisted.length > 0 ? `the folios the link did not list (${unlisted.length}) changed` : 'the folios on screen are not the same');
  }
  return (
    `This link was made with model ${link.model} of the simulator; this is model ${currentModel}, and the counts here differ: ` +
    `${differences.join('; ')}. The link still opens at the same statement; the newer model tells it differently.`
  );
}
