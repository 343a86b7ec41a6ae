import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type FolioView, type Run } from '../../core';
import { CHART_BOX, SYMLOG_THRESHOLD, chooseYScale, compactCount, folioSize, holderTable, seriesChart, spaceTicks, symlogNice } from './layout';
import { changeCandidates, folioHistory, historyCache, lastCandidate } from './history';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const BUILTINS = readdirSync('scenarios/builtin')
  .filter((f) => f.endsWith('.scn'))
  .sort()
  .map((f) => runOf(readFileSync(`scenarios/builtin/${f}`, 'utf8')));
const OVERFLOW = runOf(['title Overflow', 'kernel v6.1', 'mmap buf 4K', 'read buf', 'repeat 2097152', 'pin buf 0 4K', 'end'].join('\n'));
const VFIO = BUILTINS[2]!;

describe('holderTable', () => {
  it('adds up to the refcount for every folio at every step of the built-in runs', () => {
    for (const run of BUILTINS) {
      for (let step = 0; step <= run.lastStep; step++) {
        for (const f of run.snapshot(step).folios) {
          const t = holderTable(f);
          expect(t.refs).toBe(f.refcount);
          expect(t.unaccounted).toBe(0);
          expect(t.wrapped).toBe(false);
          expect(t.rows).toHaveLength(f.holders.length);
        }
      }
    }
  });

  it('names who should have released a leak', () => {
    const zero = VFIO.snapshot(VFIO.lastStep).folios.find((f) => f.kind === 'zero')!;
    const t = holderTable(zero);
    const leak = t.rows.find((r) => r.leaked)!;
    expect(leak.key).toBe('leak:vfio:dma');
    expect(leak.owner).toBe('vfio mapping dma');
    expect(t.rows.filter((r) => !r.leaked).every((r) => r.owner === undefined)).toBe(true);
    // Biggest contribution first.
    expect(t.rows[0]!.refs).toBeGreaterThanOrEqual(t.rows.at(-1)!.refs);
  });

  it('still adds up after the 32-bit refcount wraps, modulo 2^32', () => {
    const zero = OVERFLOW.snapshot(OVERFLOW.lastStep).folios.find((f) => f.kind === 'zero')!;
    expect(zero.refcount).toBeLessThan(0);
    const t = holderTable(zero);
    expect(t.unaccounted).toBe(0);
    expect(t.wrapped).toBe(true);
    expect(t.refs - zero.refcount).toBe(2 ** 32);
  });

  it('reports references no holder owns', () => {
    const f: FolioView = { id: 9, kind: 'anon', order: 0, pfn: 1, refcount: 3, mapcount: 1, pincount: 0, pinned: false, exclusive: true, dirty: false, reserved: false, holders: [{ key: 'map:main@0x1000', kind: 'map', label: 'x', refs: 1, pins: 0, leaked: false }], held: 1 };
    const t = holderTable(f);
    expect(t.unaccounted).toBe(2);
    expect(t.wrapped).toBe(false);
  });
});

describe('the refcount chart', () => {
  it('chooses linear for ordinary counts and symlog in the overflow range', () => {
    expect(chooseYScale([1, 2, 5, undefined, 1])).toBe('linear');
    expect(chooseYScale([1, 1025, 4097])).toBe('linear');
    expect(chooseYScale([1, SYMLOG_THRESHOLD])).toBe('symlog');
    expect(chooseYScale([1, 2 ** 31 - 1, -(2 ** 31) + 1])).toBe('symlog');
    expect(chooseYScale([-200_000])).toBe('symlog');
    expect(chooseYScale([])).toBe('linear');
  });

  it('draws the zero-page series of the DIO write on a linear axis, marking the current step', () => {
    const run = BUILTINS[0]!;
    const zero = run.catalog.folios.find((f) => f.kind === 'zero')!.id;
    const series = run.refcountSeries(zero, 300);
    const c = seriesChart(series, run.lastStep, 30, 5);
    expect(c.kind).toBe('linear');
    expect(c.y.domain()).toEqual([0, 6]);
    expect(c.ticks.map((t) => t.label)).toEqual(['0', '2', '4', '6']);
    expect(c.negative).toBe(false);
    expect(c.cursor.x).toBeCloseTo(c.x(30));
    expect(c.cursor.y).toBeCloseTo(c.y(5));
    expect(c.ticks.every((t) => Number.isInteger(t.value))).toBe(true);
    expect(c.line.startsWith('M')).toBe(true);
    expect(c.area.endsWith('Z')).toBe(true);
    const [x0, x1] = c.x.range();
    expect(x0).toBe(CHART_BOX.margin.left);
    expect(x1).toBe(CHART_BOX.width - CHART_BOX.margin.right);
  });

  it('puts an overflowing refcount on a symlog axis with landmarks and a zero line', () => {
    const zero = OVERFLOW.catalog.folios.find((f) => f.kind === 'zero')!.id;
    const series = OVERFLOW.refcountSeries(zero, 300);
    const last = series.at(-1)!.refcount!;
    const c = seriesChart(series, OVERFLOW.lastStep, OVERFLOW.lastStep, last);
    expect(c.kind).toBe('symlog');
    expect(c.negative).toBe(true);
    expect(c.y.domain()).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    const labels = c.ticks.map((t) => t.label);
    expect(labels).toContain('0');
    expect(labels).toContain('2³¹');
    expect(labels).toContain('−2³¹');
    // Ticks never crowd.
    const ys = c.ticks.map((t) => t.y).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(11);
    expect(c.zeroY).toBeCloseTo(c.y(0));
    expect(c.cursor.y).toBeGreaterThan(c.zeroY);
  });

  it('leaves gaps where the folio does not exist', () => {
    const c = seriesChart(
      [
        { step: 0, refcount: undefined },
        { step: 5, refcount: 1 },
        { step: 10, refcount: undefined },
      ],
      10,
      10,
      undefined,
    );
    expect(c.cursor.y).toBeUndefined();
    expect(c.line.match(/M/g)).toHaveLength(1);
  });

  it('rounds symlog ends out to landmarks and spaces ticks', () => {
    expect(symlogNice(0)).toBe(0);
    expect(symlogNice(1)).toBe(1);
    expect(symlogNice(7169)).toBe(2 ** 20);
    expect(symlogNice(2_147_482_625)).toBe(2 ** 31 - 1);
    expect(symlogNice(-2_147_483_647)).toBe(-(2 ** 31));
    expect(symlogNice(-5)).toBe(-1024);
    expect(
      spaceTicks([
        { value: 0, y: 50, label: '0' },
        { value: 1, y: 45, label: '1' },
        { value: 1024, y: 30, label: '1024' },
      ]).map((t) => t.label),
    ).toEqual(['1024', '0']);
  });

  it('labels counts compactly', () => {
    expect(compactCount(1025)).toBe('1025');
    expect(compactCount(65_536)).toBe('66k');
    expect(compactCount(2_097_152)).toBe('2.1M');
    expect(compactCount(-2_147_483_648)).toBe('-2.15G');
    expect(folioSize(0)).toBe('4 KiB');
    expect(folioSize(9)).toBe('2 MiB');
  });
});

describe('folio history', () => {
  it('finds the same last-change step as the run, at every step, for every folio', () => {
    for (const run of [...BUILTINS, OVERFLOW]) {
      for (const f of run.catalog.folios) {
        const h = folioHistory(run, f.id);
        for (let step = 0; step <= run.lastStep; step++) expect(h.lastChange(step)).toBe(run.lastChangeStep(f.id, step));
      }
    }
  });

  it('asks the run only once per candidate step, however often it is scrubbed over', () => {
    const run = BUILTINS[0]!;
    const zero = run.catalog.folios.find((f) => f.kind === 'zero')!.id;
    const spy = vi.spyOn(run, 'lastChangeStep');
    try {
      const h = folioHistory(run, zero);
      for (let pass = 0; pass < 3; pass++) for (let step = 0; step <= run.lastStep; step++) h.lastChange(step);
      expect(spy.mock.calls.length).toBe(changeCandidates(run.events, zero).length);
      expect(spy.mock.calls.length).toBe(8);
    } finally {
      spy.mockRestore();
    }
  });

  it('binary-searches the candidates', () => {
    expect(lastCandidate([], 5)).toBe(0);
    expect(lastCandidate([3, 8, 20], 2)).toBe(0);
    expect(lastCandidate([3, 8, 20], 8)).toBe(8);
    expect(lastCandidate([3, 8, 20], 19)).toBe(8);
    expect(lastCandidate([3, 8, 20], 100)).toBe(20);
  });

  it('computes a series once per run and folio, and forgets an old run', () => {
    const run = BUILTINS[0]!;
    const spy = vi.spyOn(run, 'refcountSeries');
    try {
      const cache = historyCache();
      const a = cache.get(run, 1, 1).series;
      const b = cache.get(run, 1, 1).series;
      expect(a).toBe(b);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith(1, 300);
      expect(cache.get(run, 1, 2).series.length).toBeGreaterThan(0);
      expect(cache.size).toBe(2);
      expect(cache.get(run, 2, 1).series).not.toBe(a);
      expect(cache.size).toBe(1);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });
});
