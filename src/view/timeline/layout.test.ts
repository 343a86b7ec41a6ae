import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run, type SimEvent } from '../../core';
import {
  BIN_PX,
  MIN_TICK_GAP,
  binEvents,
  buildTimelineModel,
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
  truncate,
  truncateWords,
  type TimelineModel,
} from './layout';
import { frameThrottle } from './scrub';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario, { maxEvents: 1_000_000 });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const builtin = (name: string) => runOf(readFileSync(`scenarios/builtin/${name}`, 'utf8'));

const ZERO_WRITE = builtin('01-dio-write-zero-page.scn');
const VFIO = builtin('03-vfio-zero-page.scn');
const OVERFLOW = runOf(['title Overflow', 'kernel v6.1', 'mmap buf 4K', 'mark Read', 'read buf', 'mark Pin a lot', 'repeat 2097152', 'pin buf 0 4K', 'end', 'expect violations == 0'].join('\n'));

/** A synthetic run-like object with `n` events, one statement per `perStmt` events. */
function syntheticModel(n: number, perStmt = 1000): TimelineModel {
  const events: SimEvent[] = [];
  for (let i = 0; i < n; i++) events.push({ kind: i % 10 === 0 ? 'ref' : 'pte', text: '', chain: [], line: 1, stmt: Math.floor(i / perStmt), patchEnd: i });
  return buildTimelineModel({ events, chapters: [{ title: 'Start', line: 1, step: 1 }], findings: [], expectations: [], lastStep: n });
}

describe('stepScale and stepAtX', () => {
  it('maps step 0 to the left margin and the last step to the right margin, clamped', () => {
    const s = stepScale(47, 1000);
    expect(s(0)).toBe(12);
    expect(s(47)).toBe(988);
    expect(s(-5)).toBe(12);
    expect(s(100)).toBe(988);
  });

  it('keeps a usable domain for a run without events', () => {
    const s = stepScale(0, 500);
    expect(s.domain()).toEqual([0, 1]);
    expect(stepAtX(s, 400, 0)).toBe(0);
  });

  it('inverts every step exactly (round trip) and clamps outside positions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 120, max: 4000 }), fc.nat(), (last, width, k) => {
        const s = stepScale(last, width);
        const step = k % (last + 1);
        const back = stepAtX(s, s(step), last);
        expect(back).toBe(step);
      }),
    );
    const s = stepScale(47, 1000);
    expect(stepAtX(s, -100, 47)).toBe(0);
    expect(stepAtX(s, 5000, 47)).toBe(47);
  });
});

describe('buildTimelineModel', () => {
  it('marks statement ends where "next statement" lands, and the chapters', () => {
    const m = buildTimelineModel(ZERO_WRITE);
    expect(m.lastStep).toBe(47);
    expect(m.chapters.map((c) => c.step)).toEqual([3, 17, 35]);
    // Every statement end is followed by an event of another statement (or is the end of the run).
    const sameAsNext = m.statementEnds.filter((e) => e < m.lastStep && ZERO_WRITE.events[e]!.stmt === ZERO_WRITE.events[e - 1]!.stmt);
    expect(sameAsNext).toEqual([]);
    // And no statement end is missing: every change of statement is one.
    const changes = ZERO_WRITE.events.flatMap((e, i) => (i + 1 < ZERO_WRITE.events.length && ZERO_WRITE.events[i + 1]!.stmt !== e.stmt ? [i + 1] : []));
    expect(m.statementEnds.slice(0, -1)).toEqual(changes);
    expect(m.statementEnds.at(-1)).toBe(47);
    // The dio write statement (line 19) ends with the task going to sleep, at step 32.
    expect(m.statementEnds).toContain(32);
    expect(m.problems).toEqual([]);
    expect(m.elided).toEqual([]);
    // Count-changing events: the four zero-page references and their four puts.
    expect(m.countMask.reduce((a, b) => a + b, 0)).toBe(ZERO_WRITE.events.filter((e) => e.kind === 'ref').length);
  });

  it('collects findings and failed expectations as problems, in step order', () => {
    const m = buildTimelineModel(VFIO);
    expect(m.problems.map((p) => [p.step, p.kind])).toEqual([
      [43, 'leak'],
      [51, 'leak'],
    ]);
    const o = buildTimelineModel(OVERFLOW);
    expect(o.problems.map((p) => p.kind)).toEqual(['refcount-wrap', 'expect']);
    expect(o.problems[1]!.message).toContain('expect violations == 0');
  });

  it('records elided repeat spans with their iteration count', () => {
    const o = buildTimelineModel(OVERFLOW);
    expect(o.elided).toHaveLength(1);
    expect(o.elided[0]!.iterations).toBe(2_097_148);
    expect(OVERFLOW.events[o.elided[0]!.step - 1]!.kind).toBe('elided');
  });
});

describe('ticks and density', () => {
  it('draws a tick per event while they are at least MIN_TICK_GAP apart', () => {
    const m = buildTimelineModel(ZERO_WRITE);
    const s = stepScale(m.lastStep, 1000);
    expect(tickMode(m.lastStep, 976)).toBe('ticks');
    const t = eventTicks(m, s);
    expect(t.ticks).toBe(47);
    expect((t.counts.match(/M/g) ?? []).length + (t.others.match(/M/g) ?? []).length).toBe(47);
  });

  it('switches to a histogram when ticks would crowd', () => {
    expect(tickMode(300, 300 * MIN_TICK_GAP)).toBe('ticks');
    expect(tickMode(301, 300 * MIN_TICK_GAP)).toBe('density');
    expect(tickMode(100_000, 1900)).toBe('density');
  });

  it('puts at most one tick per pixel column', () => {
    const s = stepScale(100_000, 1000);
    const p = tickPath(
      Array.from({ length: 100_000 }, (_, i) => i + 1),
      s,
      0,
      10,
    );
    expect(p.count).toBeLessThanOrEqual(977);
    expect(p.count).toBeGreaterThan(900);
  });

  it('bins 100,000 events into a bounded number of bins that account for every event', () => {
    const m = syntheticModel(100_000);
    const s = stepScale(m.lastStep, 1200);
    const bins = binEvents(m, s);
    const [x0, x1] = s.range() as [number, number];
    expect(bins.length).toBeLessThanOrEqual(Math.ceil((x1 - x0) / BIN_PX));
    expect(bins.reduce((a, b) => a + b.events, 0)).toBe(100_000);
    expect(bins.reduce((a, b) => a + b.counts, 0)).toBe(10_000);
    for (const b of bins) {
      expect(b.x0).toBeGreaterThanOrEqual(x0);
      expect(b.x1).toBeLessThanOrEqual(x1);
      expect(b.x1).toBeGreaterThan(b.x0);
    }
    const d = densityPaths(bins, 20, 40);
    expect((d.all.match(/M/g) ?? []).length).toBe(bins.length);
    expect((d.counts.match(/M/g) ?? []).length).toBe(bins.length);
  });

  it('draws bars as tall as the share of count-changing events in the bin', () => {
    const d = densityPaths(
      [
        { x0: 0, x1: 2, events: 10, counts: 10 },
        { x0: 2, x1: 4, events: 10, counts: 5 },
        { x0: 4, x1: 6, events: 10, counts: 0 },
      ],
      20,
      40,
    );
    expect(d.counts).toBe('M0,40V20H2V40ZM2,40V30H4V40Z');
  });

  it('lays the static layers out identically at every step (nothing depends on the step)', () => {
    const m = buildTimelineModel(ZERO_WRITE);
    const a = eventTicks(m, stepScale(m.lastStep, 800));
    const b = eventTicks(buildTimelineModel(ZERO_WRITE), stepScale(47, 800));
    expect(a).toEqual(b);
  });
});

describe('chapter flags', () => {
  it('labels fit between their pole and the next one', () => {
    const m = buildTimelineModel(ZERO_WRITE);
    const s = stepScale(m.lastStep, 600);
    const flags = chapterFlags(m.chapters, s, 600);
    expect(flags.map((f) => f.step)).toEqual([3, 17, 35]);
    expect(flags.map((f) => f.align)).toEqual(['right', 'right', 'right']);
    flags.forEach((f, i) => {
      const next = flags[i + 1]?.x ?? 600;
      expect(f.x + f.room).toBeLessThanOrEqual(next);
      expect(f.label.length).toBeLessThanOrEqual(f.title.length);
    });
    expect(flags[0]!.label).toBe('The buffer is only read');
  });

  it('never overlaps, whatever the chapters and width', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        (steps, width, title) => {
          const chapters = [...steps].sort((a, b) => a - b).map((step, i) => ({ title: `${i} ${title}`, step, line: i }));
          const s = stepScale(1000, width);
          const flags = chapterFlags(chapters, s, width);
          const extents = flags.map((f) => (f.align === 'right' ? [f.x, f.x + (f.label ? f.room : 0)] : [f.x - (f.label ? f.room : 0), f.x]) as [number, number]);
          for (let i = 1; i < extents.length; i++) {
            // Labels claim at most their room; rooms of neighbours never cross.
            expect(extents[i]![0]).toBeGreaterThanOrEqual(extents[i - 1]![0]);
          }
          for (const [a, b] of extents) {
            expect(a).toBeGreaterThanOrEqual(-0.001);
            expect(b).toBeLessThanOrEqual(width + 0.001);
          }
        },
      ),
    );
  });

  it('puts the label of a flag at the right edge on its left', () => {
    const s = stepScale(103_288, 1200);
    const flags = chapterFlags(
      [
        { title: 'Read it all', step: 3, line: 5 },
        { title: 'Write it out', step: 103_000, line: 7 },
      ],
      s,
      1200,
    );
    expect(flags[0]!.align).toBe('right');
    expect(flags[1]!.align).toBe('left');
    expect(flags[1]!.label).toBe('Write it out');
  });

  it('cuts flag labels at a word boundary, so the visible words are the title\'s own', () => {
    expect(truncateWords('O_DIRECT write: the zero page goes into a bio', 17)).toBe('O_DIRECT write…');
    expect(truncateWords('O_DIRECT write: the zero page goes into a bio', 8)).toBe('');
    expect(truncateWords('short', 12)).toBe('short');
    const title = 'The buffer is only read, then written back';
    const labels = [3, 9, 14, 20, 30].map((n) => truncateWords(title, n));
    expect(labels).toEqual(['', 'The…', 'The buffer is…', 'The buffer is only…', 'The buffer is only read, then…']);
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('O_DIRECT write: the zero page goes into a bio', 12)).toBe('O_DIRECT wr…');
    expect(truncate('short', 12)).toBe('short');
    expect(truncate('anything', 1)).toBe('');
  });

  it('finds the chapter a step is in', () => {
    const chapters = [{ step: 3 }, { step: 17 }, { step: 35 }];
    expect(chapterIndexAt(chapters, 0)).toBe(-1);
    expect(chapterIndexAt(chapters, 3)).toBe(0);
    expect(chapterIndexAt(chapters, 34)).toBe(1);
    expect(chapterIndexAt(chapters, 47)).toBe(2);
  });
});

describe('markers and elided spans', () => {
  it('groups problems closer than a few pixels into one marker', () => {
    const s = stepScale(1000, 1000);
    const groups = problemMarkers(
      [
        { step: 10, kind: 'leak', message: 'a', line: 1 },
        { step: 11, kind: 'leak', message: 'b', line: 1 },
        { step: 500, kind: 'expect', message: 'c', line: 2 },
      ],
      s,
    );
    expect(groups.map((g) => [g.step, g.problems.length])).toEqual([
      [10, 2],
      [500, 1],
    ]);
  });

  it('draws an elided step at least 6 px wide, centred on its step', () => {
    const s = stepScale(24, 1000);
    const b = elidedBand(17, s);
    expect(b.x + b.width / 2).toBeCloseTo(s(17));
    expect(b.width).toBeCloseTo(s(17.5) - s(16.5));
    const tiny = elidedBand(5, stepScale(100_000, 1000));
    expect(tiny.width).toBe(6);
  });
});

describe('speed options', () => {
  it('offers 1..64 events per second, plus a speed set from the keyboard', () => {
    expect(speedOptions(8)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(speedOptions(128)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(speedOptions(0.5)[0]).toBe(0.5);
  });
});

describe('frameThrottle', () => {
  it('seeks only the latest position once per frame, and at once on flush', () => {
    const frames: (() => void)[] = [];
    const seek = vi.fn<(step: number) => void>();
    const t = frameThrottle<number>(
      seek,
      (cb) => frames.push(cb),
      () => frames.splice(0),
    );
    t.schedule(1);
    t.schedule(2);
    t.schedule(3);
    expect(seek).not.toHaveBeenCalled();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(seek.mock.calls).toEqual([[3]]);
    t.schedule(7);
    t.flush();
    expect(seek.mock.calls).toEqual([[3], [7]]);
    t.flush();
    expect(seek).toHaveBeenCalledTimes(2);
    t.schedule(9);
    t.cancel();
    expect(frames).toHaveLength(0);
    expect(seek).toHaveBeenCalledTimes(2);
  });
});
