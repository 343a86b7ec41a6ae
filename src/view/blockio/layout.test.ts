import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { BIO_H, CHAR_W, DIO_H, DIO_LINE_H, bvecStatuses, dioHeadParts, dioHeadRows, dioStateLine, fitParts, fitText, legendRows, formatBytes, laneOf, layoutBlockIo, legendOffsets, scaleBytes, stateText } from './layout';

function runOf(text: string, kernel?: string): Run {
  const src = kernel ? text.replace(/^kernel .*$/m, `kernel ${kernel}`) : text;
  const parsed = parseScenario(src);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

const builtin = (name: string) => readFileSync(`scenarios/builtin/${name}`, 'utf8');

/** The step of the first event whose text matches. */
function stepOf(run: Run, re: RegExp): number {
  const i = run.events.findIndex((e) => re.test(e.text));
  if (i < 0) throw new Error(`no event ${re}`);
  return i + 1;
}

describe('block I/O layout', () => {
  const run = runOf(builtin('01-dio-write-zero-page.scn'));
  const submitted = stepOf(run, /bio#1 is submitted/);
  const completed = stepOf(run, /^The device completes bio#1/);
  const freed = stepOf(run, /bio#1 (is freed|\(on the stack\) is torn down)/);

  it('gives every bio and dio of the run a fixed row, whatever the step', () => {
    const rows = (step: number) => {
      const l = layoutBlockIo(run.snapshot(step), run.catalog);
      return { bios: l.bios.map((b) => [b.name, b.y]), dios: l.dios.map((d) => [d.name, d.y]) };
    };
    const first = rows(0);
    expect(first.bios).toHaveLength(run.catalog.bios.length);
    expect(first.dios).toHaveLength(run.catalog.dios.length);
    for (let step = 0; step <= run.lastStep; step++) expect(rows(step)).toEqual(first);
  });

  it('holds a place for a bio before it is allocated', () => {
    const l = layoutBlockIo(run.snapshot(0), run.catalog);
    expect(l.bios[0]!.bio).toBeUndefined();
    expect(l.bios[0]!.lane).toBe('building');
    expect(stateText(undefined)).toBe('not allocated yet');
  });

  it('moves a bio from lane to lane as it is submitted and completed', () => {
    const lane = (step: number) => layoutBlockIo(run.snapshot(step), run.catalog).bios[0]!;
    const building = lane(submitted - 1);
    const flying = lane(submitted);
    const done = lane(completed);
    expect([building.lane, flying.lane, done.lane, lane(freed).lane]).toEqual(['building', 'inflight', 'completion', 'completion']);
    expect(building.x).toBeLessThan(flying.x);
    expect(flying.x).toBeLessThan(done.x);
    // Only x changes: the row stays put.
    expect(new Set([building.y, flying.y, done.y]).size).toBe(1);
    expect(stateText(run.snapshot(submitted).bios[0])).toBe('submitted (in flight)');
  });

  it('sizes bvec segments by bytes and lays them end to end', () => {
    const legacy = runOf(builtin('02-legacy-subblock-zeroing.scn'));
    const step = stepOf(legacy, /bio#1 is submitted/);
    const bio = layoutBlockIo(legacy.snapshot(step), legacy.catalog).bios[0]!;
    const [user, zero] = bio.segments;
    expect(user!.bvec.len).toBe(512);
    expect(zero!.bvec.len).toBe(3584);
    expect(zero!.w / user!.w).toBeCloseTo(7, 5);
    expect(zero!.x).toBeCloseTo(user!.x + user!.w, 6);
    expect(zero!.kind).toBe('zero');
    expect(user!.kind).toBe('anon');
    expect(bio.w).toBeCloseTo(user!.w + zero!.w, 6);
  });

  it('keeps bars inside their lane', () => {
    for (const width of [420, 640, 1000]) {
      const l = layoutBlockIo(run.snapshot(submitted), run.catalog, width);
      const bar = l.bios[0]!;
      const lane = l.lanes.find((x) => x.lane === bar.lane)!;
      expect(bar.x).toBeGreaterThanOrEqual(lane.x);
      expect(bar.x + bar.w).toBeLessThanOrEqual(lane.x + lane.w);
    }
  });

  it('stacks the bios below the dios', () => {
    const l = layoutBlockIo(run.snapshot(submitted), run.catalog);
    expect(l.bios[0]!.y).toBeGreaterThan(l.dios[0]!.y);
    expect(l.height).toBeGreaterThanOrEqual(l.bios[0]!.y + BIO_H);
  });
});

describe('what a bio still holds', () => {
  it('releases the zero-page references one by one at completion (v6.4, FOLL_GET)', () => {
    const run = runOf(builtin('01-dio-write-zero-page.scn'));
    const start = stepOf(run, /which was sleeping on it/);
    const statuses = (step: number) => bvecStatuses(run.snapshot(step).bios[0]!, run.snapshot(step).folios);
    expect(statuses(start)).toEqual(['held', 'held', 'held', 'held']);
    expect(statuses(start + 1)).toEqual(['released', 'held', 'held', 'held']);
    expect(statuses(start + 4)).toEqual(['released', 'released', 'released', 'released']);
    expect(run.snapshot(start).bios[0]!.bvecs.every((v) => v.hold === 'get')).toBe(true);
  });

  it('holds nothing on the zero page when pinning ignores it (v6.5)', () => {
    const run = runOf(builtin('01-dio-write-zero-page.scn'), 'v6.5');
    const step = stepOf(run, /bio#1 is submitted/);
    const snap = run.snapshot(step);
    expect(snap.bios[0]!.pinned).toBe(true);
    expect(snap.bios[0]!.bvecs.every((v) => v.hold === 'pin')).toBe(true);
    expect(bvecStatuses(snap.bios[0]!, snap.folios)).toEqual(['noref', 'noref', 'noref', 'noref']);
  });

  it('tells a pinned user page from the zero page in one legacy bio (v6.5)', () => {
    const run = runOf(builtin('02-legacy-subblock-zeroing.scn'), 'v6.5');
    const snap = run.snapshot(stepOf(run, /bio#1 is submitted/));
    expect(bvecStatuses(snap.bios[0]!, snap.folios)).toEqual(['held', 'noref']);
  });

  it('shows the deferred bio releasing page by page in bio_dirty_fn', () => {
    const run = runOf(builtin('04-dio-read-fresh-memory.scn'));
    const deferred = stepOf(run, /cleaned while bio#1 was in flight/);
    const snap = run.snapshot(deferred);
    expect(snap.bios[0]!.deferred).toBe(true);
    expect(stateText(snap.bios[0])).toBe('deferred: bio_dirty_list');
    expect(laneOf(snap.bios[0])).toBe('completion');
    const mid = run.snapshot(stepOf(run, /bio#1 drops its reference on F4/));
    expect(bvecStatuses(mid.bios[0]!, mid.folios)).toEqual(['released', 'released', 'held', 'held']);
    // Reads mark whether each page is dirty: the one writeback cleaned is not.
    const cleaned = run.snapshot(stepOf(run, /marked clean by writeback/));
    const segs = layoutBlockIo(cleaned, run.catalog).bios[0]!.segments;
    expect(segs.map((s) => s.dirty)).toEqual([false, true, true, true]);
  });
});

describe('helpers', () => {
  it('rounds the bar scale up to a power of two', () => {
    expect(scaleBytes([])).toBe(4096);
    expect(scaleBytes([undefined])).toBe(4096);
    const bio = (bytes: number) => ({ bytes }) as Parameters<typeof scaleBytes>[0][number];
    expect(scaleBytes([bio(4096), bio(12288)])).toBe(16384);
    expect(scaleBytes([bio(16384)])).toBe(16384);
  });

  it('formats sizes', () => {
    expect([formatBytes(512), formatBytes(4096), formatBytes(16384), formatBytes(2 * 1024 * 1024), formatBytes(3000)]).toEqual(['512 B', '4 KiB', '16 KiB', '2 MiB', '3000 B']);
  });

  it('drops the least important parts of a line first and keeps the order', () => {
    const parts = [
      { key: 'a', text: 'bio#1', prio: 0 },
      { key: 'b', text: 'x'.repeat(20), prio: 3 },
      { key: 'c', text: 'y'.repeat(20), prio: 1 },
    ];
    expect(fitParts(parts, 1000).map((p) => p.key)).toEqual(['a', 'b', 'c']);
    expect(fitParts(parts, 30 * 6, 6).map((p) => p.key)).toEqual(['a', 'c']);
    expect(fitParts(parts, 10, 6).map((p) => p.key)).toEqual(['a']);
  });

  it('places legend items by label length', () => {
    expect(legendOffsets(['ab', 'abcd'], 0, 5, 10)).toEqual([0, 20, 50]);
  });
});

describe('fitting text into the picture', () => {
  it('wraps the legend so no item crosses the right edge (340 units: the narrowest panel)', () => {
    const labels = ['zero page', 'huge zero', 'anon', 'page cache', 'no ref', 'released'];
    const { items, rows } = legendRows(labels, 340);
    expect(rows).toBeGreaterThan(1);
    for (const [i, it] of items.entries()) expect(it.x + 14 + labels[i]!.length * 5.6).toBeLessThanOrEqual(340);
    expect(legendRows(labels, 2000).rows).toBe(1);
  });

  it('cuts the completion function to the room it has, with an ellipsis', () => {
    expect(fitText('submit_bio_wait_endio', 1000)).toBe('submit_bio_wait_endio');
    const cut = fitText('submit_bio_wait_endio', 60, 6);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length * 6).toBeLessThanOrEqual(60);
    expect(fitText('submit_bio_wait_endio', 5, 6)).toBe('');
  });
});

describe('the dio header', () => {
  const legacy = runOf(builtin('02-legacy-subblock-zeroing.scn'));
  const dioStep = legacy.events.findIndex((_, i) => legacy.snapshot(i + 1).dios.length > 0) + 1;

  it('takes one line at the desk and two with projector type in the narrowest panel, the same at every step', () => {
    const at = (step: number, width: number, textScale: number) => layoutBlockIo(legacy.snapshot(step), legacy.catalog, width, textScale);
    expect(at(dioStep, 640, 1).dioRows).toBe(1);
    const narrow = at(dioStep, 340, 1.16);
    expect(narrow.dioRows).toBe(2);
    expect(narrow.dioH).toBe(DIO_H + DIO_LINE_H);
    // The bios start below the taller dio rows, and stay put as the dio's state changes.
    expect(narrow.bios[0]!.y).toBe(at(dioStep, 640, 1).bios[0]!.y + DIO_LINE_H * legacy.catalog.dios.length);
    for (let step = 0; step <= legacy.lastStep; step++) expect(at(step, 340, 1.16).bios.map((b) => b.y)).toEqual(narrow.bios.map((b) => b.y));
  });

  it('on one line, what it keeps and its longest state fit the width together', () => {
    for (let step = dioStep; step <= legacy.lastStep; step++) {
      for (const d of legacy.snapshot(step).dios) {
        for (const [width, scale] of [[460, 1], [640, 1], [560, 1.16], [900, 1.73]] as const) {
          if (dioHeadRows([d.name], width, CHAR_W * scale) !== 1) continue;
          const charW = CHAR_W * scale;
          const kept = fitParts(dioHeadParts(d), width - 20 - dioStateLine(d).length * charW, charW);
          const len = kept.reduce((n, p) => n + p.text.length + 1, 0) * charW;
          expect(len + dioStateLine(d).length * charW, `${d.name} at ${width} × ${scale}`).toBeLessThanOrEqual(width - 20);
        }
      }
    }
  });

  it('drops the file, then how pages are taken, then sync, then the source file; never the name, engine or direction', () => {
    const d = legacy.snapshot(dioStep).dios[0]!;
    const keys = (px: number) => fitParts(dioHeadParts(d), px).map((p) => p.key);
    expect(keys(10_000)).toEqual(['dio', 'engine', 'source', 'op', 'sync', 'pins', 'file']);
    expect(keys(10)).toEqual(['dio', 'engine', 'op']);
    expect(keys(44 * CHAR_W)).toEqual(['dio', 'engine', 'source', 'op', 'sync']);
  });
});
