// Page-table view layout: pure functions from (catalog addresses, the task's entries at this step) to rows and
// cells. Rows come from the catalog (every address the run ever mapped), so an address keeps its place when it
// is not mapped at the current step; only long runs of identical consecutive entries are folded into one row.

import { scaleBand } from 'd3-scale';
import { PAGE_SIZE, PMD_SIZE, walkIndices, type Catalog, type FolioKind, type PteView, type TaskView } from '../../core';
import type { ViewType } from '../present/viewType';

export type { ViewType };

export const ROW_H = 18;
const LEVEL_W = 38;
/** Blocks of consecutive catalog pages at least this long are run-length folded (a split huge PMD: 512). */
export const FOLD_MIN = 8;
/** Within a folded block, runs of identical entries at least this long become one row. */
export const RUN_MIN = 2;

export type Level = 'pgd' | 'pud' | 'pmd' | 'pte';
export const LEVEL_NAMES: Record<Level, string> = { pgd: 'PGD', pud: 'PUD', pmd: 'PMD', pte: 'PTE' };
/** Bit ranges of the 48-bit virtual address that index each level (x86-64, 4-level paging). */
export const LEVEL_BITS: Record<Level, { hi: number; lo: number }> = {
  pgd: { hi: 47, lo: 39 },
  pud: { hi: 38, lo: 30 },
  pmd: { hi: 29, lo: 21 },
  pte: { hi: 20, lo: 12 },
};

export const BITS = ['P', 'RW', 'U', 'A', 'D', 'S'] as const;
export type BitName = (typeof BITS)[number];
export const BIT_TITLE: Record<BitName, string> = {
  P: 'present (bit 0)',
  RW: 'writable (bit 1)',
  U: 'user-accessible (bit 2)',
  A: 'accessed (bit 5)',
  D: 'dirty (bit 6)',
  S: 'special (bit 9, software): not refcounted, e.g. the zero page',
};

export interface PtRow {
  /** Stable React key: the row's first address and level. */
  key: string;
  level: 'pte' | 'pmd';
  va: number;
  /** Number of entries the row stands for (1, or a folded run). */
  count: number;
  indices: { pgd: number; pud: number; pmd: number; pte: number };
  /** Last PTE index of a folded run. */
  pteLast: number;
  /** The (first) entry at this step, or null when not present. */
  entry: PteView | null;
  /** Folded run of a folio's consecutive pages (page index grows with the address). */
  pageStride: 0 | 1;
  y: number;
}

export interface IndexSpan {
  level: 'pgd' | 'pud' | 'pmd';
  index: number;
  /** Whether the entry at this level points somewhere (a lower table is allocated, or a PMD leaf is present). */
  present: boolean;
  /** A PMD entry that is a leaf (maps 2 MiB directly). */
  leaf: boolean;
  y: number;
  h: number;
  key: string;
}

export interface VmaBand {
  name: string;
  y: number;
  h: number;
}

export interface PtLayout {
  rows: PtRow[];
  spans: IndexSpan[];
  vmaBands: VmaBand[];
  height: number;
}

export interface Columns {
  vma: { x: number; w: number };
  va: { x: number; w: number };
  level: Record<Level, { x: number; w: number }>;
  bits: { x: number; w: number; band: (b: BitName) => number; cell: number; cellOf: (b: BitName) => number };
  folio: { x: number; w: number };
  width: number;
  compact: boolean;
  /** Narrower than the compact columns: every column narrows again and the index strip stacks. */
  tight: boolean;
  /** The level columns drawn (a projector's narrowest panel keeps only PMD and PTE; the strip gives all four). */
  levels: Level[];
  /** The address column's header ("address" where "virtual address" would run into the PGD header). */
  vaHeader: string;
  /** The folio label sits under the row's cells (the row two lines tall) where it does not fit beside them. */
  mapsBelow: boolean;
  /** A row's height: ROW_H, twice that with the label below. */
  rowH: number;
  /** A folio label character's advance (its pill is sized from it). */
  charW: number;
  /** Room above a row's content when the rows are spread down a tall panel (stretchRows). */
  rowPad: number;
}


const round1 = (n: number) => Math.round(n * 10) / 10;

/** Full columns need this width; below it the VMA names and the folio column shrink (compact). */
export const FULL_WIDTH = 560;

/** The compact columns need this width; below it the tight layout narrows every column again. */
export const COMPACT_WIDTH = 440;
/** The narrowest width the tight layout fits (a view is never laid out narrower: the panel asks for it). */
export const TIGHT_WIDTH = 360;

/** Column geometry (d3 band scales for the level and bit columns), fitted to `width`. */
export function columns(width = 640): Columns {
  const compact = width < FULL_WIDTH;
  const tight = width < COMPACT_WIDTH;
  const vmaW = tight ? 6 : compact ? 10 : 44;
  const vaX = vmaW;
  // The address is 14 monospace characters: about 85 units at the smallest type, plus its inset.
  const vaW = tight ? 92 : compact ? 98 : 104;
  const levelW = tight ? 27 : compact ? 33 : LEVEL_W;
  const bitW = tight ? 15 : compact ? 16 : 19;
  const levels: Level[] = ['pgd', 'pud', 'pmd', 'pte'];
  const levelScale = scaleBand<Level>()
    .domain(levels)
    .range([vaX + vaW, vaX + vaW + 4 * levelW])
    .paddingInner(0.12);
  const bitsX = vaX + vaW + 4 * levelW + (tight ? 4 : compact ? 6 : 10);
  const bitScale = scaleBand<BitName>()
    .domain([...BITS])
    .range([bitsX, bitsX + BITS.length * bitW])
    .paddingInner(0.16);
  const folioX = bitsX + BITS.length * bitW + (tight ? 4 : compact ? 5 : 8);
  const folioW = Math.max(tight ? 56 : 86, Math.min(128, width - folioX));
  const level = Object.fromEntries(levels.map((l) => [l, { x: round1(levelScale(l) ?? 0), w: round1(levelScale.bandwidth()) }])) as Record<Level, { x: number; w: number }>;
  return {
    vma: { x: 0, w: vmaW },
    va: { x: vaX, w: vaW },
    level,
    bits: { x: bitsX, w: BITS.length * bitW, band: (b) => round1(bitScale(b) ?? bitsX), cell: round1(bitScale.bandwidth()), cellOf: () => round1(bitScale.bandwidth()) },
    folio: { x: folioX, w: folioW },
    width: folioX + folioW,
    compact,
    tight,
    levels,
    vaHeader: 'virtual address',
    mapsBelow: false,
    rowH: ROW_H,
    charW: compact ? 6 : 6.4,
    rowPad: 0,
  };
}

// Estimated advances, in ems, of the type the walk uses (DejaVu-like faces, a little generous): a monospace
// character, and the bold sans letters of the headers and bit cells.
const MONO_EM = 0.62;
const HEADER_EM: Record<string, number> = { PGD: 2.55, PUD: 2.5, PMD: 2.65, PTE: 2.25, VMA: 2.4 };
const BIT_EM: Record<BitName, number> = { P: 0.75, RW: 1.82, U: 0.82, A: 0.8, D: 0.85, S: 0.74 };
const VA_HEADER_EM = 9.6;

/** The narrowest body the projector's columns are laid out for (PMD and PTE, the label below; the strip's hex only). */
export const PRESENT_MIN_WIDTH = 340;

/**
 * Columns for projector type (`type`, larger than the desk's in the views' units), sized from the type's
 * advances rather than fixed widths: the address in full, each level cell as wide as its header, each bit cell
 * as wide as its letter. The folio label (`labelChars` at the most) goes beside the bits when it fits, else
 * under them; a panel too narrow for four level columns keeps PMD and PTE (the index strip shows all four).
 */
export function presentColumns(width: number, type: ViewType, labelChars: number): Columns {
  const { xs, sm } = type;
  const vmaW = 6;
  const vaW = Math.ceil(14 * MONO_EM * xs + 6);
  const levelW = Math.ceil(Math.max(3 * MONO_EM * sm + 6, Math.max(...Object.values(HEADER_EM)) * xs + 4));
  const bitGap = 2;
  const bitCell = (b: BitName) => Math.ceil(BIT_EM[b] * xs + 5);
  const bitsW = BITS.reduce((n, b) => n + bitCell(b), 0) + bitGap * (BITS.length - 1);
  const labelW = Math.ceil(labelChars * MONO_EM * xs + 14);
  const gap = 5;
  const rowWidth = (levels: number) => vmaW + vaW + levels * levelW + gap + bitsW;
  const allLevels: Level[] = ['pgd', 'pud', 'pmd', 'pte'];
  const levels: Level[] = rowWidth(4) <= width ? allLevels : ['pmd', 'pte'];
  const bitsX = rowWidth(levels.length) - bitsW;
  const mapsBelow = bitsX + bitsW + gap + labelW > width;
  const level = Object.fromEntries(allLevels.map((l) => [l, { x: 0, w: 0 }])) as Record<Level, { x: number; w: number }>;
  levels.forEach((l, i) => {
    level[l] = { x: vmaW + vaW + i * levelW + 2, w: levelW - 4 };
  });
  const bandAt = new Map<BitName, number>();
  let x = bitsX;
  for (const b of BITS) {
    bandAt.set(b, x);
    x += bitCell(b) + bitGap;
  }
  const folioX = mapsBelow ? vmaW + 4 : bitsX + bitsW + gap;
  const folioW = Math.max(labelW, width - folioX);
  return {
    vma: { x: 0, w: vmaW },
    va: { x: vmaW, w: vaW },
    level,
    bits: { x: bitsX, w: bitsW, band: (b) => bandAt.get(b) ?? bitsX, cell: bitCell('P'), cellOf: bitCell },
    folio: { x: folioX, w: folioW },
    width: Math.max(bitsX + bitsW, folioX + labelW),
    compact: true,
    tight: true,
    levels,
    vaHeader: vaW - 6 >= VA_HEADER_EM * xs ? 'virtual address' : 'address',
    mapsBelow,
    rowH: mapsBelow ? 2 * ROW_H : ROW_H,
    charW: MONO_EM * xs,
    rowPad: 0,
  };
}


/** Rows are spread at most this much (of their own height) to fill a tall panel. */
export const MAX_ROW_STRETCH = 2.5;

/**
 * The columns with the rows spread down `height` (the walk's room, header included) when `rows` rows leave it
 * partly empty: each row at most MAX_ROW_STRETCH times its height, its content centred in it.
 */
export function stretchRows(cols: Columns, rows: number, height: number, headerH: number): Columns {
  if (rows <= 0 || !(height > 0)) return cols;
  const pitch = Math.min(cols.rowH * MAX_ROW_STRETCH, Math.floor((height - headerH - 2) / rows));
  if (pitch <= cols.rowH) return cols;
  return { ...cols, rowH: pitch, rowPad: Math.round(((pitch - cols.rowH) / 2) * 10) / 10 };
}

export interface StripGeometry {
  /** Where the four level groups start, and their pitch. */
  x0: number;
  groupW: number;
  /** The offset group's width. */
  offsetW: number;
  /** Stacked: the address on a line of its own above the groups (tight), else the address left of them. */
  stacked: boolean;
  /** Where the groups' first line sits (0 beside the address, one line down when stacked). */
  top: number;
  width: number;
  height: number;
  /** Each level's bit range beside its name ("PGD 47–39"); left to the name's tooltip where it does not fit. */
  ranges: boolean;
  /** The offset's 12 bits in binary (else its hex value only). */
  offsetBinary: boolean;
}

/**
 * The index strip over the table: how the MMU splits the address, fitted to `available` (the width the view
 * was given; the table's own width by default): the address beside the groups when both fit, else above them.
 */
export function stripGeometry(cols: Columns, available = cols.width): StripGeometry {
  const groupW = cols.compact ? 66 : 80;
  const offsetW = 84;
  const x0 = cols.compact ? 100 : 112;
  const beside = x0 + 4 * groupW + offsetW;
  if (cols.tight || beside > Math.max(available, cols.width)) {
    return { x0: 0, groupW, offsetW, stacked: true, top: 16, width: Math.max(cols.width, 4 * groupW + offsetW), height: 60, ranges: true, offsetBinary: true };
  }
  return { x0, groupW, offsetW, stacked: false, top: 0, width: Math.max(cols.width, beside), height: 44, ranges: true, offsetBinary: true };
}

/**
 * The strip for projector type: stacked, each group as wide as its widest line at `type`; where the four
 * groups and the offset do not fit `available`, the bit ranges go to the names' tooltips, then the offset keeps
 * only its hex value.
 */
export function presentStripGeometry(available: number, type: ViewType): StripGeometry {
  const { xs } = type;
  const group = (ranges: boolean) => Math.ceil((ranges ? 6.1 : 9 * MONO_EM) * xs + 8);
  const offset = (binary: boolean) => Math.ceil((binary ? 12 * MONO_EM : 3.5) * xs + 4);
  const fits = (ranges: boolean, binary: boolean) => 4 * group(ranges) + offset(binary) <= available;
  const ranges = fits(true, true);
  const offsetBinary = ranges || fits(false, true);
  const groupW = group(ranges);
  const offsetW = offset(offsetBinary);
  return { x0: 0, groupW, offsetW, stacked: true, top: 16, width: 4 * groupW + offsetW, height: 60, ranges, offsetBinary };
}

/** Addresses in play for a task: from the catalog, or (a thread sharing another task's mm) from its entries. */
export function addressesFor(catalog: Catalog, task: string, view: TaskView | undefined): { pages: number[]; pmds: number[] } {
  const a = catalog.addresses.find((x) => x.task === task);
  if (a) return { pages: a.pages, pmds: a.pmds };
  const pages = new Set<number>();
  const pmds = new Set<number>();
  for (const e of view?.entries ?? []) {
    if (e.level === 'pte') pages.add(Math.floor(e.va / PAGE_SIZE));
    else pmds.add(Math.floor(e.va / PMD_SIZE));
  }
  return { pages: [...pages].sort((x, y) => x - y), pmds: [...pmds].sort((x, y) => x - y) };
}

function sameEntry(a: PteView | null, b: PteView | null, stride: 0 | 1): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.folio === b.folio &&
    b.page === a.page + stride &&
    a.rw === b.rw &&
    a.accessed === b.accessed &&
    a.dirty === b.dirty &&
    a.special === b.special &&
    a.vma === b.vma
  );
}

interface Slot {
  level: 'pte' | 'pmd';
  /** vpn for a PTE slot, va >> 21 for a PMD slot. */
  n: number;
  va: number;
}

/** Compute the rows (each `rowH` tall), the merged index cells of the upper levels and the VMA bands. */
export function layoutPageTables(catalog: Catalog, task: string, view: TaskView | undefined, rowH = ROW_H): PtLayout {
  const { pages, pmds } = addressesFor(catalog, task, view);
  const pteAt = new Map<number, PteView>();
  const pmdAt = new Map<number, PteView>();
  for (const e of view?.entries ?? []) {
    if (e.level === 'pte') pteAt.set(Math.floor(e.va / PAGE_SIZE), e);
    else pmdAt.set(Math.floor(e.va / PMD_SIZE), e);
  }
  const slots: Slot[] = [
    ...pmds.map((n): Slot => ({ level: 'pmd', n, va: n * PMD_SIZE })),
    ...pages.map((n): Slot => ({ level: 'pte', n, va: n * PAGE_SIZE })),
  ].sort((a, b) => a.va - b.va || (a.level === b.level ? 0 : a.level === 'pmd' ? -1 : 1));

  const rows: PtRow[] = [];
  const push = (slot: Slot, entry: PteView | null, count: number, pteLast: number, stride: 0 | 1) => {
    const i = walkIndices(slot.va);
    rows.push({
      key: `${slot.level}:${slot.va}`,
      level: slot.level,
      va: slot.va,
      count,
      indices: { pgd: i.pgd, pud: i.pud, pmd: i.pmd, pte: slot.level === 'pmd' ? -1 : i.pte },
      pteLast,
      entry,
      pageStride: stride,
      y: 0,
    });
  };

  let k = 0;
  while (k < slots.length) {
    const s = slots[k]!;
    if (s.level === 'pmd') {
      push(s, pmdAt.get(s.n) ?? null, 1, -1, 0);
      k++;
      continue;
    }
    // A block: consecutive PTE slots (vpn + 1) under the same PMD entry.
    let end = k + 1;
    while (end < slots.length) {
      const t = slots[end]!;
      const prev = slots[end - 1]!;
      if (t.level !== 'pte' || t.n !== prev.n + 1 || Math.floor(t.n / 512) !== Math.floor(s.n / 512)) break;
      end++;
    }
    const block = slots.slice(k, end);
    if (block.length < FOLD_MIN) {
      for (const b of block) push(b, pteAt.get(b.n) ?? null, 1, walkIndices(b.va).pte, 0);
    } else {
      let j = 0;
      while (j < block.length) {
        const first = block[j]!;
        const e0 = pteAt.get(first.n) ?? null;
        const e1 = j + 1 < block.length ? (pteAt.get(block[j + 1]!.n) ?? null) : null;
        const stride: 0 | 1 = e0 && e1 && e1.folio === e0.folio && e1.page === e0.page + 1 ? 1 : 0;
        let r = j + 1;
        while (r < block.length && sameEntry(pteAt.get(block[r - 1]!.n) ?? null, pteAt.get(block[r]!.n) ?? null, stride)) r++;
        const len = r - j;
        if (len >= RUN_MIN) {
          push(first, e0, len, walkIndices(block[r - 1]!.va).pte, stride);
        } else {
          push(first, e0, 1, walkIndices(first.va).pte, 0);
        }
        j = r;
      }
    }
    k = end;
  }

  const band = scaleBand<string>()
    .domain(rows.map((r) => r.key))
    .range([0, rows.length * rowH]);
  for (const r of rows) r.y = band(r.key) ?? 0;

  const tables = new Set(view?.tables ?? []);
  const spans: IndexSpan[] = [];
  const levels: { level: 'pgd' | 'pud' | 'pmd'; path: (r: PtRow) => string; present: (r: PtRow) => boolean }[] = [
    { level: 'pgd', path: (r) => `${r.indices.pgd}`, present: (r) => tables.has(`pud:${r.indices.pgd}`) },
    { level: 'pud', path: (r) => `${r.indices.pgd}/${r.indices.pud}`, present: (r) => tables.has(`pmd:${r.indices.pgd}/${r.indices.pud}`) },
    {
      level: 'pmd',
      path: (r) => `${r.indices.pgd}/${r.indices.pud}/${r.indices.pmd}`,
      present: (r) => tables.has(`pte:${r.indices.pgd}/${r.indices.pud}/${r.indices.pmd}`) || pmdAt.has(Math.floor(r.va / PMD_SIZE)),
    },
  ];
  for (const l of levels) {
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const a = rows[start]!;
      const b = rows[i];
      if (b && l.path(b) === l.path(a)) continue;
      const last = rows[i - 1]!;
      const leaf = l.level === 'pmd' && pmdAt.has(Math.floor(a.va / PMD_SIZE));
      spans.push({
        level: l.level,
        index: a.indices[l.level],
        present: l.present(a),
        leaf,
        y: a.y,
        h: last.y + rowH - a.y,
        key: `${l.level}:${l.path(a)}`,
      });
      start = i;
    }
  }

  const vmaBands: VmaBand[] = [];
  const vmaOf = (r: PtRow) => view?.vmas.find((v) => r.va >= v.start && r.va < v.end)?.name;
  let cur: VmaBand | null = null;
  for (const r of rows) {
    const name = vmaOf(r);
    if (name !== undefined && cur && cur.name === name && cur.y + cur.h === r.y) {
      cur.h += rowH;
      continue;
    }
    cur = name !== undefined ? { name, y: r.y, h: rowH } : null;
    if (cur) vmaBands.push(cur);
  }

  return { rows, spans, vmaBands, height: rows.length * rowH };
}

/** Bits of an entry as shown (all clear when not present). */
export function entryBits(e: PteView | null): Record<BitName, boolean> {
  if (!e) return { P: false, RW: false, U: false, A: false, D: false, S: false };
  return { P: e.present, RW: e.rw, U: e.user, A: e.accessed, D: e.dirty, S: e.special };
}

/** The 9-bit index fields of a virtual address, as the MMU computes them. */
export function indexBreakdown(va: number): { level: Level; index: number; hex: string; binary: string; hi: number; lo: number }[] {
  const i = walkIndices(va);
  return (['pgd', 'pud', 'pmd', 'pte'] as Level[]).map((level) => ({
    level,
    index: i[level],
    hex: `0x${i[level].toString(16).padStart(3, '0')}`,
    binary: i[level].toString(2).padStart(9, '0'),
    hi: LEVEL_BITS[level].hi,
    lo: LEVEL_BITS[level].lo,
  }));
}

export function hexVa(va: number): string {
  return `0x${va.toString(16).padStart(12, '0')}`;
}

/** The row that holds `va` (a folded run holds a range; a PMD leaf its 2 MiB). */
export function rowForVa(rows: readonly PtRow[], va: number): PtRow | undefined {
  let best: PtRow | undefined;
  for (const r of rows) {
    const size = r.level === 'pmd' ? PMD_SIZE : r.count * PAGE_SIZE;
    if (va >= r.va && va < r.va + size) {
      // Prefer a present PTE row over the PMD slot of the same region.
      if (!best || (r.level === 'pte' && (r.entry || !best.entry))) best = r;
    }
  }
  return best;
}

export interface FolioRef {
  kind: FolioKind;
  label: string;
}

/** What a row's folio label says: the folio's name, and the pages or the run. */
export function rowFolioText(r: PtRow, folio: FolioRef | undefined): string {
  if (!r.entry) return r.count > 1 ? `×${r.count} not present` : 'not present';
  const name = folio?.label ?? `F${r.entry.folio}`;
  const page = r.level === 'pte' && folio && folio.kind !== 'zero' && (r.pageStride === 1 || r.entry.page > 0) ? ` p${r.entry.page}${r.count > 1 && r.pageStride === 1 ? `–${r.entry.page + r.count - 1}` : ''}` : '';
  return `${r.count > 1 ? `×${r.count} → ` : ''}${name}${page}`;
}
