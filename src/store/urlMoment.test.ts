import { describe, expect, it } from 'vitest';
import type { Run, SimEvent } from '../core';
import { LIBRARY_SCENARIOS } from './scenarios';
import { runSource } from './runSource';
import { fingerprintOf, positionOf, resolvePosition } from './urlMoment';

/** A run-shaped value with only what positions read: events (line, stmt), chapters and lastStep. */
function fakeRun(events: [line: number, stmt: number][], chapters: { line: number; step: number }[] = []): Run {
  const evs = events.map(([line, stmt]) => ({ line, stmt }) as SimEvent);
  return { events: evs, chapters: chapters.map((c) => ({ ...c, title: `at ${c.line}` })), lastStep: evs.length } as unknown as Run;
}

describe('a link position', () => {
  // Line 3 runs twice (a repeat), each run three events; line 5 once.
  const before = fakeRun([[1, 1], [3, 2], [3, 2], [3, 2], [3, 3], [3, 3], [3, 3], [5, 4], [5, 4]], [{ line: 2, step: 1 }, { line: 4, step: 7 }]);

  it('names the line, which run of it and which event within', () => {
    expect(positionOf(before, 6)).toEqual({ step: 6, at: { line: 3, occurrence: 1, offset: 1 }, chapter: { chapter: 0, offset: 5 } });
    expect(positionOf(before, 9)).toEqual({ step: 9, at: { line: 5, occurrence: 0, offset: 1 }, chapter: { chapter: 1, offset: 2 } });
    expect(positionOf(before, 0)).toEqual({ step: 0 });
  });

  it('lands on the same moment when a later model adds an event before it', () => {
    // The newer model takes one more reference in line 1's statement and in the first run of line 3.
    const after = fakeRun([[1, 1], [1, 1], [3, 2], [3, 2], [3, 2], [3, 2], [3, 3], [3, 3], [3, 3], [5, 4], [5, 4]]);
    for (const step of [1, 5, 6, 8, 9]) {
      const position = positionOf(before, step);
      const landed = resolvePosition(after, position);
      expect({ step, at: positionOf(after, landed).at }).toEqual({ step, at: position.at });
    }
    // The global step alone would have opened one event early, inside the wrong run of line 3.
    expect(positionOf(after, 6).at).not.toEqual(positionOf(before, 6).at);
  });

  it('stops at the end of a statement that now has fewer events, and falls back to chapter, then step', () => {
    const shorter = fakeRun([[1, 1], [3, 2], [3, 3], [5, 4], [5, 4]], [{ line: 2, step: 1 }, { line: 4, step: 3 }]);
    expect(resolvePosition(shorter, positionOf(before, 6))).toBe(3);
    expect(resolvePosition(shorter, { step: 9, at: { line: 7, occurrence: 0, offset: 0 }, chapter: { chapter: 1, offset: 1 } })).toBe(4);
    expect(resolvePosition(shorter, { step: 9, chapter: { chapter: 5, offset: 0 } })).toBe(5);
  });

  it('round-trips every step of a real run', () => {
    const run = runSource(LIBRARY_SCENARIOS.find((s) => s.id.endsWith('zero-page-pin-overflow'))!.text, null).run!;
    for (let step = 0; step <= run.lastStep; step++) expect(resolvePosition(run, positionOf(run, step))).toBe(step);
  });
});

describe('a fingerprint', () => {
  it('is the same for the same counters and changes with any of them', () => {
    const run = runSource(LIBRARY_SCENARIOS.find((s) => s.id.endsWith('dio-write-zero-page'))!.text, null).run!;
    const hashes = new Set<string>();
    for (let step = 0; step <= run.lastStep; step++) hashes.add(fingerprintOf(run.snapshot(step)).hash);
    const counts = new Set<string>();
    for (let step = 0; step <= run.lastStep; step++) counts.add(JSON.stringify(fingerprintOf(run.snapshot(step)).counters));
    expect(hashes.size).toBe(counts.size);
    expect(fingerprintOf(run.snapshot(3)).hash).toMatch(/^[0-9a-f]{8}$/);
  });
});
