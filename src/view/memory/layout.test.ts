import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CELL_H,
  CELL_W,
  GAP,
  MAX_SPAN,
  OV_ANON,
  OV_EMPTY,
  OV_FREED,
  OV_HUGEZERO,
  OV_ZERO,
  ROW_H,
  barSegments,
  blockWidth,
  bornTest,
  catalogIndex,
  cellWidthFor,
  columnsFor,
  fitScale,
  folioBadges,
  frameItems,
  frameModel,
  layoutFrames,
  overviewCell,
  overviewGrid,
  overviewHit,
  overviewStates,
  pageTicks,
  rowOfFolio,
  spanUnits,
  sumText,
  visibleRows,
} from './layout';
import { BUILTIN, runText, synthetic, onKernel } from './testing';

const read = (path: string) => readFileSync(path, 'utf8');

describe('spans and columns', () => {
  it('gives small folios one cell and a 2 MiB folio a compressed, wider block', () => {
    expect(spanUnits(0)).toBe(1);
    expect(spanUnits(2)).toBe(1);
    expect(spanUnits(4)).toBe(2);
    expect(spanUnits(9)).toBe(MAX_SPAN);
    expect(spanUnits(18)).toBe(MAX_SPAN);
    expect(blockWidth(3)).toBe(3 * CELL_W + 2 * GAP);
  });

  it('fits as many cells as the width allows, at least one', () => {
    expect(columnsFor(0)).toBe(1);
    expect(columnsFor(CELL_W + 16)).toBe(1);
    expect(columnsFor(4 * (CELL_W + GAP) + 16)).toBe(4);
    const cols = columnsFor(700);
    const cw = cellWidthFor(700, cols);
    expect(cw).toBeGreaterThanOrEqual(CELL_W);
    expect(16 + cols * cw + (cols - 1) * GAP).toBeLessThanOrEqual(700);
  });
});

describe('frame model and layout of a real run', () => {
  const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
  const model = frameModel(run.catalog, run.events);

  it('orders folios by pfn and remembers each one’s position', () => {
    const pfns = Array.from(model.byPfn, (i) => run.catalog.folios[i]!.pfn);
    expect(pfns).toEqual([...pfns].sort((a, b) => a - b));
    for (let p = 0; p < model.byPfn.length; p++) expect(model.positionOf[model.byPfn[p]!]).toBe(p);
    expect(model.pages).toBe(1 + 512 + 4);
    expect(frameModel(run.catalog, run.events)).toBe(model);
  });

  it('knows when each folio was allocated (ids grow with time)', () => {
    const born = Array.from(model.bornStep);
    for (let i = 1; i < born.length; i++) expect(born[i]!).toBeGreaterThanOrEqual(born[i - 1]!);
    // The boot-time zero folios exist from step 0; the buffer's anon folios only after their faults.
    const anon = run.catalog.folios.findIndex((f) => f.kind === 'anon');
    expect(born[anon]!).toBeGreaterThan(0);
    const alloc = run.events.findIndex((e) => e.kind === 'alloc' && e.folio === run.catalog.folios[anon]!.id) + 1;
    expect(born[anon]).toBe(alloc);
  });

  it('keeps every block in the same place at every step', () => {
    const layout = layoutFrames(model, 4, 150);
    const at = (step: number) => frameItems(model, layout, run.snapshotAt(step).folios, step, 0, layout.rows).map((b) => [b.id, b.x, b.y, b.w]);
    const first = at(0);
    expect(first).toHaveLength(run.catalog.folios.length);
    for (const step of [1, 17, 30, 64, run.lastStep]) expect(at(step)).toEqual(first);
  });

  it('flows blocks into rows without overlaps or overflow, the huge zero folio three cells wide', () => {
    const layout = layoutFrames(model, 4);
    const items = frameItems(model, layout, run.snapshotAt(run.lastStep).folios, run.lastStep, 0, layout.rows);
    const huge = items.find((b) => b.folio.kind === 'hugezero')!;
    expect(huge.span).toBe(3);
    expect(huge.w).toBe(blockWidth(3));
    for (const a of items) {
      expect(a.x + a.w).toBeLessThanOrEqual(layout.width - 8);
      for (const b of items) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
    expect(layout.height).toBe(16 + layout.rows * ROW_H - GAP);
    expect(items.every((b) => b.h === CELL_H)).toBe(true);
  });

  it('shows folios that do not exist yet as empty slots, and live ones with their counters', () => {
    const layout = layoutFrames(model, 4);
    const before = frameItems(model, layout, run.snapshotAt(0).folios, 0, 0, layout.rows);
    expect(before.filter((b) => b.folio.kind === 'anon').map((b) => b.state)).toEqual(['unborn', 'unborn', 'unborn', 'unborn']);
    const end = run.snapshotAt(run.lastStep);
    const after = frameItems(model, layout, end.folios, end.step, 0, layout.rows);
    for (const b of after) {
      expect(b.state).toBe('alive');
      expect(b.view?.refcount).toBe(end.folios.find((f) => f.id === b.id)!.refcount);
    }
  });
});

describe('freed folios', () => {
  const run = runText('title t\nmmap a 8K\nwrite a\nmark gone\nmunmap a\n');
  const model = frameModel(run.catalog, run.events);
  const layout = layoutFrames(model, 4);

  it('are drawn as freed slots in the same place, and not-yet-allocated before their fault', () => {
    const states = (step: number) => {
      const s = run.snapshotAt(step);
      return frameItems(model, layout, s.folios, step, 0, layout.rows)
        .filter((b) => b.folio.kind === 'anon')
        .map((b) => b.state);
    };
    expect(states(0)).toEqual(['unborn', 'unborn']);
    expect(states(run.chapters[0]!.step)).toEqual(['alive', 'alive']);
    expect(states(run.lastStep)).toEqual(['freed', 'freed']);
    const s = run.snapshotAt(run.lastStep);
    const born = bornTest(model, s.folios, s.step);
    expect(run.catalog.folios.filter((f) => f.kind === 'anon').every((f) => born(f.id))).toBe(true);
    expect(born(9999)).toBe(false);
  });
});

describe('262,144 frames', () => {
  const big = synthetic(262_144, 7);
  const model = frameModel(big.catalog, []);

  it('lays out a gigabyte of 4 KiB pages with typed arrays, rows uniform', () => {
    const layout = layoutFrames(model, 5);
    expect(layout.count).toBe(262_146);
    // zero page + huge zero (3 cells) fill the first row of 5 minus one cell, then 5 per row.
    expect(layout.rows).toBe(1 + Math.ceil((262_144 - 1) / 5));
    expect(layout.rowStart[layout.rows]).toBe(layout.count);
    for (let r = 0; r < layout.rows; r += 9973) expect(layout.rowStart[r + 1]! - layout.rowStart[r]!).toBeLessThanOrEqual(5);
    expect(fitScale(model, 700, 300)).toBe(1);
  });

  it('draws only the rows in view (virtualized)', () => {
    const layout = layoutFrames(model, 5);
    const top = 20_000 * ROW_H;
    const [r0, r1] = visibleRows(layout, top, 400, 2);
    expect(r1 - r0).toBeLessThanOrEqual(Math.ceil(400 / ROW_H) + 5);
    const items = frameItems(model, layout, big.folios, 1, r0, r1);
    expect(items.length).toBeLessThanOrEqual((r1 - r0) * 5);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((b) => b.y >= top - 3 * ROW_H && b.y <= top + 400 + 3 * ROW_H)).toBe(true);
    // Every 7th anon folio was freed in this synthetic snapshot.
    expect(items.some((b) => b.state === 'freed')).toBe(true);
    expect(items.filter((b) => b.state === 'alive').every((b) => b.view?.refcount === 1)).toBe(true);
  });

  it('finds the row of any folio, for scrolling to it', () => {
    const layout = layoutFrames(model, 5);
    expect(rowOfFolio(model, layout, 1)).toBe(0);
    expect(rowOfFolio(model, layout, 2)).toBe(0);
    expect(rowOfFolio(model, layout, 262_146)).toBe(layout.rows - 1);
    expect(rowOfFolio(model, layout, 10)).toBe(layout.row[model.positionOf[catalogIndex(big.catalog.folios, 10)]!]);
    expect(rowOfFolio(model, layout, -3)).toBe(-1);
  });

  it('summarises every frame in a dense overview grid, bucketing when pixels run out', () => {
    const grid = overviewGrid(262_146, 600, 48);
    expect(grid.cols * Math.ceil(48 / grid.cell)).toBeGreaterThan(0);
    expect(grid.perCell).toBeGreaterThan(1);
    expect(grid.cells * grid.perCell).toBeGreaterThanOrEqual(262_146);
    expect(grid.rows * grid.cell).toBeLessThanOrEqual(48);
    const states = overviewStates(model, grid, big.folios, 1);
    expect(states).toHaveLength(grid.cells);
    // The first cell holds the zero page: the most notable state wins the bucket.
    expect(states[0]).toBe(OV_ZERO);
    expect(states[grid.cells - 1]).toBe(OV_ANON);
    const small = overviewGrid(300, 600, 48);
    expect(small.perCell).toBe(1);
    expect(small.cell).toBeGreaterThan(1);
    const p = 123;
    const c = overviewCell(small, p);
    expect(overviewHit(small, 300, c.x + 0.5, c.y + 0.5)).toBe(p);
  });

  it('marks freed and never-allocated frames in the overview', () => {
    const few = synthetic(20, 2);
    const m = frameModel(few.catalog, []);
    const grid = overviewGrid(22, 220, 20);
    const states = overviewStates(m, grid, few.folios, 1);
    expect(states[0]).toBe(OV_ZERO);
    expect(states[1]).toBe(OV_HUGEZERO);
    expect(states[2]).toBe(OV_ANON);
    expect(states[3]).toBe(OV_FREED);
    // With nothing alive and nothing allocated by step 0, every frame is an empty slot.
    expect([...overviewStates(m, grid, [], 0)].every((s) => s === OV_EMPTY)).toBe(true);
  });
});

describe('what a block shows', () => {
  const holder = (key: string, kind: string, refs: number, pins = 0, leaked = false) => ({ key, kind, label: key, refs, pins, leaked });

  it('stacks the holders’ references so the bar is the refcount as a sum of parts', () => {
    const segs = barSegments([holder('map:a', 'map', 1), holder('bio:b', 'bio', 1024, 1), holder('gup:p', 'gup', 1024, 1)], 2049, 120);
    expect(segs.map((s) => [s.kind, s.refs])).toEqual([
      ['map', 1],
      ['gup', 1024],
      ['bio', 1024],
    ]);
    expect(segs.reduce((n, s) => n + s.refs, 0)).toBe(2049);
    expect(segs.reduce((n, s) => n + s.w, 0)).toBeCloseTo(120, 6);
    // The lone mapping reference stays visible next to two pin biases.
    expect(segs[0]!.w).toBe(3);
    expect(segs[1]!.w).toBeCloseTo(segs[2]!.w, 6);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.x).toBeCloseTo(segs[i - 1]!.x + segs[i - 1]!.w, 6);
    expect(sumText(segs, 40)).toBe('1 + 1024 + 1024');
    expect(sumText(segs, 12)).toBe('1+1024+1024');
    expect(sumText(segs, 5)).toBe('3 holder kinds');
  });

  it('shows leaked references in their own segment, and references no holder owns as unowned', () => {
    const segs = barSegments([holder('kernel:zero-page', 'kernel', 1), holder('leak:vfio:dma', 'leak', 1024, 1, true)], 1030, 100);
    expect(segs.map((s) => [s.kind, s.refs, s.leaked])).toEqual([
      ['kernel', 1, false],
      ['leak', 1024, true],
      ['unowned', 5, true],
    ]);
    expect(barSegments([], 0, 100)).toEqual([]);
  });

  it('turns flags into badges', () => {
    const run = runText(read(BUILTIN.vfio));
    const s = run.snapshotAt(run.lastStep);
    const zero = s.folios.find((f) => f.kind === 'zero')!;
    expect(folioBadges(zero).map((b) => b.text)).toEqual(['rsvd', 'pinned']);
  });

  it('ticks every page of a large folio, thinned when the block is narrow', () => {
    const wide = pageTicks(8, 80, 20);
    expect(wide.major.match(/M/g)).toHaveLength(2);
    expect(wide.minor.match(/M/g)).toHaveLength(7);
    const thp = pageTicks(512, 300, 20);
    expect(thp.major.match(/M/g)).toHaveLength(9);
    expect(thp.minor.match(/M/g)).toHaveLength(512 / 8 - 8);
    expect(pageTicks(1, 100, 20)).toEqual({ minor: '', major: '' });
  });
});
