import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { PAGE_SIZE, simulate, walkIndices, type Catalog, type PteView, type Run, type TaskView } from '../../core';
import { COMPACT_WIDTH, FULL_WIDTH, MAX_ROW_STRETCH, PRESENT_MIN_WIDTH, stretchRows, ROW_H, TIGHT_WIDTH, presentColumns, presentStripGeometry, stripGeometry, addressesFor, columns, entryBits, hexVa, indexBreakdown, layoutPageTables, rowFolioText, rowForVa, BITS, FOLD_ROWS, FOLD_WINDOW, alikeLines, folioLook, foldText, foldWhat, type FolioLook, type PtLine } from './layout';

function runOf(text: string, kernel?: string): Run {
  const src = kernel ? text.replace(/^kernel .*$/m, `kernel ${kernel}`) : text;
  const parsed = parseScenario(src);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

const builtin = (name: string) => readFileSync(`scenarios/builtin/${name}`, 'utf8');
const HUGE_ZERO = readFileSync('scenarios/rows/15-cow-huge-zeropage.v6.12.scn', 'utf8');

function layoutAt(run: Run, step: number, task = 'main') {
  const snap = run.snapshot(step);
  return layoutPageTables(run.catalog, task, snap.tasks.find((t) => t.name === task));
}

describe('page-table rows', () => {
  const run = runOf(builtin('01-dio-write-zero-page.scn'));

  it('has one row per address the run ever mapped, at the same place at every step', () => {
    const pages = run.catalog.addresses.find((a) => a.task === 'main')!.pages;
    expect(pages).toHaveLength(4);
    const first = layoutAt(run, 0).rows.map((r) => [r.key, r.y]);
    expect(first).toHaveLength(4);
    for (let step = 0; step <= run.lastStep; step++) {
      expect(layoutAt(run, step).rows.map((r) => [r.key, r.y])).toEqual(first);
    }
    expect(first.map(([, y]) => y)).toEqual([0, ROW_H, 2 * ROW_H, 3 * ROW_H]);
  });

  it('shows addresses that are not mapped yet as empty rows, in place', () => {
    const before = layoutAt(run, 8); // the first zero-page PTE was just installed
    expect(before.rows.map((r) => r.entry !== null)).toEqual([true, false, false, false]);
    const after = layoutAt(run, 14);
    expect(after.rows.every((r) => r.entry !== null)).toBe(true);
  });

  it('computes the real x86-64 indices for each address', () => {
    const rows = layoutAt(run, 14).rows;
    expect(rows.map((r) => r.indices)).toEqual([0, 1, 2, 3].map((pte) => ({ pgd: 254, pud: 0, pmd: 0, pte })));
    expect(hexVa(rows[1]!.va)).toBe('0x7f0000001000');
  });

  it('marks the zero-page PTEs special, read-only and accessed', () => {
    const r = layoutAt(run, 14).rows[2]!;
    expect(entryBits(r.entry)).toEqual({ P: true, RW: false, U: true, A: true, D: false, S: true });
    expect(entryBits(null)).toEqual({ P: false, RW: false, U: false, A: false, D: false, S: false });
    expect(r.entry!.folio).toBe(run.snapshot(14).zeroFolio);
  });

  it('merges the upper-level cells of rows that share a table entry', () => {
    const layout = layoutAt(run, 14);
    const pgd = layout.spans.filter((s) => s.level === 'pgd');
    expect(pgd).toEqual([expect.objectContaining({ index: 254, present: true, y: 0, h: 4 * ROW_H })]);
    // Before the first fault no table below the PGD exists: the entries are empty.
    const empty = layoutAt(run, 3);
    expect(empty.spans.every((s) => !s.present)).toBe(true);
    const pmd = layoutAt(run, 7).spans.find((s) => s.level === 'pmd')!;
    expect(pmd.present).toBe(true); // the PTE table was allocated at step 7
  });

  it('draws one VMA band over the rows of a mapping', () => {
    expect(layoutAt(run, 14).vmaBands).toEqual([{ name: 'buf', y: 0, h: 4 * ROW_H }]);
    expect(layoutAt(run, 1).vmaBands).toEqual([]); // before mmap
  });
});

describe('a split huge zero PMD', () => {
  const run = runOf(HUGE_ZERO);

  it('shows the PMD leaf as a PMD row while it maps the huge zero folio', () => {
    const layout = layoutAt(run, 12);
    const leaves = layout.rows.filter((r) => r.level === 'pmd' && r.entry);
    expect(leaves.map((r) => hexVa(r.va))).toEqual(['0x7f0000000000', '0x7f0000400000']);
    expect(leaves.every((r) => r.entry!.folio === run.snapshot(12).hugeZeroFolio)).toBe(true);
    expect(layout.spans.filter((s) => s.level === 'pmd' && s.leaf)).toHaveLength(2);
    // The 512 pages under the first PMD are in the catalog (they are mapped later) and fold into one empty row.
    const empty = layout.rows.find((r) => r.level === 'pte')!;
    expect(empty.entry).toBeNull();
    expect(empty.count).toBe(512);
  });

  it('folds the 512 zero-page PTEs of the split into one row, then splits off the COWed page', () => {
    const split = layoutAt(run, 21).rows.filter((r) => r.level === 'pte');
    expect(split).toHaveLength(1);
    expect(split[0]).toMatchObject({ count: 512, pteLast: 511 });
    expect(split[0]!.entry!.folio).toBe(run.snapshot(21).zeroFolio);
    expect(rowFolioText(split[0]!, { kind: 'zero', label: 'zero page' })).toBe('×512 → zero page');

    const cow = layoutAt(run, 24).rows.filter((r) => r.level === 'pte');
    expect(cow.map((r) => r.count)).toEqual([1, 511]);
    expect(cow[0]!.entry!.special).toBe(false);
    expect(cow[0]!.entry!.rw).toBe(true);
    expect(cow[1]!.indices.pte).toBe(1);
  });

  it('never needs more than a handful of rows for 1024 addresses', () => {
    const pages = addressesFor(run.catalog, 'main', undefined).pages.length;
    expect(pages).toBeGreaterThanOrEqual(512);
    for (let step = 0; step <= run.lastStep; step++) expect(layoutAt(run, step).rows.length).toBeLessThanOrEqual(4);
  });

  it('finds the row that holds an address inside a folded run', () => {
    const rows = layoutAt(run, 24).rows;
    expect(rowForVa(rows, 0x7f0000005000)?.count).toBe(511);
    expect(rowForVa(rows, 0x7f0000000000)?.count).toBe(1);
    expect(rowForVa(rows, 0x7f0000400123)?.level).toBe('pmd');
    expect(rowForVa(rows, 0x100000)).toBeUndefined();
  });
});

describe('index arithmetic', () => {
  it('splits a virtual address into four 9-bit indices', () => {
    const parts = indexBreakdown(0x7f0000201000);
    expect(parts.map((p) => [p.level, p.index, p.hex, p.binary, p.hi, p.lo])).toEqual([
      ['pgd', 254, '0x0fe', '011111110', 47, 39],
      ['pud', 0, '0x000', '000000000', 38, 30],
      ['pmd', 1, '0x001', '000000001', 29, 21],
      ['pte', 1, '0x001', '000000001', 20, 12],
    ]);
    // The indices rebuild the address.
    const va = parts.reduce((sum, p) => sum + p.index * 2 ** p.lo, 0);
    expect(va).toBe(0x7f0000201000);
  });
});

describe('columns', () => {
  it('lays the columns left to right without overlap', () => {
    for (const width of [400, 480, 640, 900]) {
      const c = columns(width);
      const xs = [c.va.x, c.level.pgd.x, c.level.pud.x, c.level.pmd.x, c.level.pte.x, c.bits.x, c.folio.x];
      expect([...xs].sort((a, b) => a - b)).toEqual(xs);
      expect(c.level.pud.x - c.level.pgd.x).toBeGreaterThanOrEqual(c.level.pgd.w);
      expect(c.bits.band('S') + c.bits.cell).toBeLessThanOrEqual(c.folio.x);
      expect(BITS.map((b) => c.bits.band(b))).toEqual([...BITS.map((b) => c.bits.band(b))].sort((a, b) => a - b));
    }
  });

  it('goes compact below the full width and then fits the width it is given', () => {
    expect(columns(FULL_WIDTH - 1).compact).toBe(true);
    expect(columns(FULL_WIDTH).compact).toBe(false);
    expect(columns(440).width).toBeLessThanOrEqual(440);
    expect(columns(640).width).toBeLessThanOrEqual(640);
  });

  it('goes tight below the compact width and fits a 1280×720 panel (360 units): table and index strip', () => {
    expect(columns(COMPACT_WIDTH - 1).tight).toBe(true);
    expect(columns(COMPACT_WIDTH).tight).toBe(false);
    for (const width of [TIGHT_WIDTH, 400, COMPACT_WIDTH, 500, FULL_WIDTH, 700]) {
      const c = columns(width);
      expect(c.width, `table at ${width}`).toBeLessThanOrEqual(width);
      expect(stripGeometry(c, width).width, `strip at ${width}`).toBeLessThanOrEqual(width);
    }
    // The address column holds 14 monospace characters at the smallest type (0.6 em of 10 units) and its inset.
    expect(columns(TIGHT_WIDTH).va.w).toBeGreaterThanOrEqual(14 * 6.02 + 4);
  });
});

describe('columns for projector type', () => {
  // The projector theme's --vfs-xs and --vfs-sm in the views' units (20.8 and 21.6 CSS px at zoom 1.8).
  const PROJECTOR = { xs: 20.8 / 1.8, sm: 21.6 / 1.8 };
  const HEADER_EM = { PGD: 2.55, PUD: 2.5, PMD: 2.65, PTE: 2.25 } as const;

  it('gives every level header its own room and every bit cell its letter at that type', () => {
    for (const width of [PRESENT_MIN_WIDTH, 344, 360, 380, 431, 600]) {
      const c = presentColumns(width, PROJECTOR, 14);
      const lv = c.levels.map((l) => c.level[l]);
      for (let i = 1; i < lv.length; i++) {
        // Header centres one header width apart at the least: the headers never overlap.
        expect(lv[i]!.x - lv[i - 1]!.x, `levels at ${width}`).toBeGreaterThanOrEqual(HEADER_EM.PMD * PROJECTOR.xs);
      }
      expect(lv[0]!.x, `address column at ${width}`).toBeGreaterThanOrEqual(c.va.x + 14 * 0.6 * PROJECTOR.xs);
      expect(c.bits.cellOf('RW')).toBeGreaterThanOrEqual(1.8 * PROJECTOR.xs);
      expect(c.bits.x).toBeGreaterThanOrEqual(lv[lv.length - 1]!.x + lv[lv.length - 1]!.w);
      expect(c.width, `table at ${width}`).toBeLessThanOrEqual(width);
    }
  });

  it('keeps four levels where they fit, puts the folio label under the row when it does not fit beside it', () => {
    // A quarter of 1024×768 or 1280×720 at the projector's zoom: 344 units.
    const quarter = presentColumns(344, PROJECTOR, 14);
    expect(quarter.levels).toEqual(['pmd', 'pte']);
    expect(quarter.mapsBelow).toBe(true);
    expect(quarter.rowH).toBe(2 * ROW_H);
    expect(quarter.vaHeader).toBe('address');
    expect(presentColumns(380, PROJECTOR, 14).levels).toEqual(['pgd', 'pud', 'pmd', 'pte']);
    const wide = presentColumns(700, PROJECTOR, 14);
    expect(wide.mapsBelow).toBe(false);
    expect(wide.rowH).toBe(ROW_H);
    expect(wide.folio.x).toBeGreaterThanOrEqual(wide.bits.x + wide.bits.w);
    expect(wide.folio.x + 14 * 0.6 * PROJECTOR.xs).toBeLessThanOrEqual(700);
  });

  it('rows laid out two lines tall keep their order and merged cells', () => {
    const run = runOf(builtin('01-dio-write-zero-page.scn'));
    const snap = run.snapshot(14);
    const layout = layoutPageTables(run.catalog, 'main', snap.tasks.find((t) => t.name === 'main'), 2 * ROW_H);
    expect(layout.rows.map((r) => r.y)).toEqual([0, 2, 4, 6].map((k) => k * ROW_H));
    expect(layout.spans.find((s) => s.level === 'pgd')!.h).toBe(8 * ROW_H);
    expect(layout.height).toBe(8 * ROW_H);
  });

  it('fits the index strip to the width, dropping the bit ranges and then the offset bits', () => {
    for (const width of [PRESENT_MIN_WIDTH, 344, 400, 431]) {
      const g = presentStripGeometry(width, PROJECTOR);
      expect(g.width, `strip at ${width}`).toBeLessThanOrEqual(width);
      // The nine index bits in a group at that type.
      expect(g.groupW).toBeGreaterThanOrEqual(9 * 0.6 * PROJECTOR.xs);
    }
    expect(presentStripGeometry(431, PROJECTOR).ranges).toBe(true);
    expect(presentStripGeometry(344, PROJECTOR)).toMatchObject({ ranges: false, offsetBinary: false });
  });
});

describe('rows spread down a tall panel', () => {
  it('spreads a few rows down the room, at most MAX_ROW_STRETCH times their height, content centred', () => {
    const c = columns(640);
    const spread = stretchRows(c, 4, 200, 18);
    expect(spread.rowH).toBe(Math.floor((200 - 18 - 2) / 4));
    expect(spread.rowPad).toBeCloseTo((spread.rowH - ROW_H) / 2, 1);
    expect(18 + 4 * spread.rowH).toBeLessThanOrEqual(200);
    expect(stretchRows(c, 4, 2000, 18).rowH).toBe(ROW_H * MAX_ROW_STRETCH);
  });

  it('leaves rows that fill (or overflow) the room as they are', () => {
    const c = columns(640);
    expect(stretchRows(c, 40, 300, 18)).toBe(c);
    expect(stretchRows(c, 4, 0, 18)).toBe(c);
    expect(stretchRows(c, 0, 300, 18)).toBe(c);
  });
});

describe('folding runs of alike rows', () => {
  const BASE = 0x7f0000000000;
  const vpn0 = BASE / PAGE_SIZE;
  const pte = (i: number, over: Partial<PteView> = {}): PteView => {
    const va = BASE + i * PAGE_SIZE;
    const w = walkIndices(va);
    return { va, vaHex: hexVa(va), level: 'pte', indices: { pgd: w.pgd, pud: w.pud, pmd: w.pmd, pte: w.pte }, folio: 10 + i, page: 0, present: true, rw: true, user: true, accessed: true, dirty: true, special: false, vma: 'buf', ...over };
  };
  const line = (i: number, entry: PteView | null, count = 1, vma: string | undefined = 'buf'): PtLine => ({ level: 'pte', n: vpn0 + i, va: BASE + i * PAGE_SIZE, count, entry, stride: 0, vma });
  const anon: FolioLook = { kind: 'anon', holders: 'map' };
  const looks = (over: Record<number, FolioLook> = {}) => (id: number) => over[id] ?? anon;

  it('calls rows alike when only the address and the folio number (the same or the next) differ', () => {
    expect(alikeLines(line(0, pte(0)), line(1, pte(1)), looks())).toBe(true);
    expect(alikeLines(line(0, pte(0)), line(1, pte(1, { folio: 10 })), looks())).toBe(true); // the same folio
    expect(alikeLines(line(0, null), line(1, null), looks())).toBe(true);
    expect(alikeLines(line(0, null, 512), line(512, null), looks())).toBe(true); // after a run of 512
  });

  it('tells rows apart by any bit, folio kind, holder class, VMA, gap or folio out of sequence', () => {
    const a = line(0, pte(0));
    for (const bit of ['rw', 'accessed', 'dirty', 'special'] as const) expect(alikeLines(a, line(1, pte(1, { [bit]: !a.entry![bit] })), looks()), `${bit}`).toBe(false);
    expect(alikeLines(a, line(1, pte(1)), looks({ 11: { kind: 'file', holders: 'map' } }))).toBe(false);
    expect(alikeLines(a, line(1, pte(1)), looks({ 11: { kind: 'anon', holders: 'gup map' } }))).toBe(false);
    expect(alikeLines(a, line(1, pte(1), 1, 'other'), looks())).toBe(false);
    expect(alikeLines(a, line(2, pte(2, { folio: 11 })), looks())).toBe(false); // a page between them
    expect(alikeLines(a, line(1, pte(1, { folio: 12 })), looks())).toBe(false);
    expect(alikeLines(a, line(1, null), looks())).toBe(false);
    expect(alikeLines(line(0, null), line(1, pte(1)), looks())).toBe(false);
    expect(alikeLines({ ...line(0, null), level: 'pmd' }, line(1, null), looks())).toBe(false);
  });

  it('looks at a folio as its kind and the classes of its holders', () => {
    const holder = (kind: string) => ({ key: `${kind}:x`, kind, label: '', refs: 1, pins: 0, leaked: false });
    expect(folioLook({ kind: 'anon', holders: [holder('map')] })).toEqual({ kind: 'anon', holders: 'map' });
    expect(folioLook({ kind: 'anon', holders: [holder('map'), holder('gup'), holder('pmd'), holder('gup')] })).toEqual({ kind: 'anon', holders: 'gup map' });
    expect(foldWhat(pte(0), { kind: 'anon', holders: 'gup map' })).toBe('anon, writable, accessed, dirty, GUP-held');
    expect(foldWhat(pte(0, { rw: false, dirty: false, special: true }), { kind: 'zero', holders: 'map' })).toBe('zero page, read-only, accessed, special');
    expect(foldWhat(null, undefined)).toBe('not present');
  });

  function bigTask(n: number, over: (i: number) => Partial<PteView> = () => ({})) {
    const entries = Array.from({ length: n }, (_, i) => pte(i, over(i)));
    const view: TaskView = { name: 'main', alive: true, current: true, hasPinned: false, vmas: [{ name: 'buf', start: BASE, end: BASE + n * PAGE_SIZE, backing: 'anon', shared: false, writable: true, thp: false, anonVma: true }], entries, tables: [] };
    const catalog: Catalog = { folios: [], holders: [], bios: [], dios: [], addresses: [{ task: 'main', pages: entries.map((e) => e.va / PAGE_SIZE), pmds: [] }], tasks: ['main'] };
    return { view, catalog };
  }

  it('folds more than FOLD_ROWS alike rows into one row standing for all their pages', () => {
    const small = bigTask(FOLD_ROWS);
    expect(layoutPageTables(small.catalog, 'main', small.view, ROW_H, { lookOf: looks() }).rows).toHaveLength(FOLD_ROWS);
    const big = bigTask(1000);
    const { rows, spans, height } = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks() });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ va: BASE, count: 1000, h: 2 * ROW_H, fold: { rows: 1000, pages: 1000, lastVa: BASE + 999 * PAGE_SIZE, shown: 0, folios: { first: 10, last: 1009 } } });
    expect(foldText(rows[0]!)).toBe('PTEs 0x7f0000000000–0x7f00003e7000 · 1,000 pages · anon, writable, accessed, dirty');
    expect(spans).toEqual([]); // drawn across the level columns
    expect(height).toBe(2 * ROW_H);
    expect(rowForVa(rows, BASE + 500 * PAGE_SIZE)).toBe(rows[0]);
  });

  it('splits where rows stop being alike: a pinned folio in the middle', () => {
    const big = bigTask(100);
    const layout = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: (id) => (id >= 60 && id < 70 ? { kind: 'anon', holders: 'gup map' } : anon) });
    expect(layout.rows.map((r) => (r.fold ? `fold ${r.fold.pages}` : `${r.count}`))).toEqual(['fold 50', ...Array(10).fill('1'), 'fold 40']);
  });

  it('never folds away the kept rows: the selected folio and the event address', () => {
    const big = bigTask(1000);
    const { rows, spans } = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks(), keepFolios: [10 + 500, null], keepVas: [BASE + 990 * PAGE_SIZE] });
    expect(rows.map((r) => (r.fold ? `fold ${r.fold.pages}` : hexVa(r.va)))).toEqual(['fold 500', hexVa(BASE + 500 * PAGE_SIZE), 'fold 489', ...[990, 991, 992, 993, 994, 995, 996, 997, 998, 999].map((i) => hexVa(BASE + i * PAGE_SIZE))]);
    // The kept row's level cells start after the fold above it.
    expect(spans.find((s) => s.level === 'pmd')).toMatchObject({ y: 2 * ROW_H, h: ROW_H });
    expect(new Set(spans.map((s) => s.key)).size).toBe(spans.length);
  });

  it('opens to a window of its rows and a row that shows more', () => {
    const big = bigTask(1000);
    const open = new Map([[`fold:${BASE}`, FOLD_WINDOW]]);
    const rows = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks(), open }).rows;
    expect(rows).toHaveLength(1 + FOLD_WINDOW + 1);
    expect(rows[0]!.fold!.shown).toBe(FOLD_WINDOW);
    expect(rows.slice(1, -1).map((r) => r.va)).toEqual(Array.from({ length: FOLD_WINDOW }, (_, i) => BASE + i * PAGE_SIZE));
    expect(rows.at(-1)).toMatchObject({ va: BASE + FOLD_WINDOW * PAGE_SIZE, count: 1000 - FOLD_WINDOW, more: { key: `fold:${BASE}` } });
    expect(rows.map((r) => r.y)).toEqual(rows.map((_, i) => (i === 0 ? 0 : 2 * ROW_H + (i - 1) * ROW_H)));
    // Opened all the way: no "show more".
    const all = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks(), open: new Map([[`fold:${BASE}`, 5000]]) }).rows;
    expect(all).toHaveLength(1001);
    expect(all.some((r) => r.more)).toBe(false);
  });

  it('folds runs of 512-page rows too (a 128 MiB buffer of the zero page), and nothing when told not to', () => {
    const big = bigTask(64 * 512, () => ({ folio: 1, special: true, rw: false, dirty: false }));
    const rows = layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks({ 1: { kind: 'zero', holders: 'map' } }) }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fold).toMatchObject({ rows: 64, pages: 64 * 512, what: 'zero page, read-only, accessed, special' });
    expect(layoutPageTables(big.catalog, 'main', big.view, ROW_H, { lookOf: looks(), threshold: Infinity }).rows).toHaveLength(64);
  });

  it('never folds a row of the shipped scenarios, at any step', () => {
    for (const dir of ['builtin', 'library']) {
      for (const file of readdirSync(`scenarios/${dir}`).filter((f) => f.endsWith('.scn'))) {
        const run = runOf(readFileSync(`scenarios/${dir}/${file}`, 'utf8'));
        for (let step = 0; step <= run.lastStep; step++) {
          const snap = run.snapshot(step);
          const live = new Map(snap.folios.map((f) => [f.id, f]));
          const lookOf = (id: number) => {
            const f = live.get(id);
            return f ? folioLook(f) : undefined;
          };
          for (const t of snap.tasks) {
            const layout = layoutPageTables(run.catalog, t.name, t, ROW_H, { lookOf });
            expect(layout.rows.filter((r) => r.fold).map((r) => r.key), `${file} step ${step} ${t.name}`).toEqual([]);
          }
        }
      }
    }
  });
});
