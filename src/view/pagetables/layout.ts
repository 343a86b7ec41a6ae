// Page-table view layout: pure functions from (catalog addresses, the task's entries at this step) to rows and
// cells. Rows come from the catalog (every address the run ever mapped), so an address keeps its place when it
// is not mapped at the current step. Long runs of identical consecutive entries become one row ("×512 → F3"),
// and long runs of alike rows (a big buffer's PTEs, each mapping the next folio) fold into one row that opens.

import { scaleBand } from 'd3-scale';
import { PAGE_SIZE, PMD_SIZE, holderClass, walkIndices, type Catalog, type FolioKind, type PteView, type TaskView } from '../../core';
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
  /** The row's height (a folded row is two lines tall). */
  h: number;
  /** A folded run of alike rows, drawn as this one row (opened: followed by some of its rows). */
  fold?: PtFold;
  /** The "show more" row after the rows an opened fold shows (the fold it belongs to). */
  more?: PtFold;
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

/**
 * A row before folding: one PTE, a run of identical consecutive PTEs of one folio (within a PMD's table), or a
 * PMD slot. `n` is the first vpn (va >> 12) of a PTE line, va >> 21 of a PMD line.
 */
export interface PtLine {
  level: 'pte' | 'pmd';
  n: number;
  va: number;
  /** Pages the line stands for (1 for a PMD slot). */
  count: number;
  entry: PteView | null;
  stride: 0 | 1;
  /** The VMA the line's address is in at this step (by name), if any. */
  vma: string | undefined;
}

/** What of a folio shows beside its PTE's bits: its kind and the classes of its holders (sorted, joined). */
export interface FolioLook {
  kind: FolioKind;
  holders: string;
}

const looks = new WeakMap<object, FolioLook>();
/** Looks of folios with one class of holders (nearly every folio of a big run), one object each. */
const plainLooks = new Map<string, FolioLook>();

/**
 * A folio's look, from its view: the kind and its holders' classes (`map`, `gup`, `bio`, ...). Kept per view
 * object, so a folio view shared between snapshots is looked at once; equal looks are often the same object.
 */
export function folioLook(f: { kind: FolioKind; holders: readonly { kind: string }[] }): FolioLook {
  if (f.holders.length === 1) {
    const holders = holderClass(f.holders[0]!.kind);
    const key = `${f.kind} ${holders}`;
    let look = plainLooks.get(key);
    if (!look) plainLooks.set(key, (look = { kind: f.kind, holders }));
    return look;
  }
  const hit = looks.get(f);
  if (hit) return hit;
  const classes: string[] = [];
  for (const h of f.holders) {
    const c = holderClass(h.kind);
    if (!classes.includes(c)) classes.push(c);
  }
  if (classes.length > 1) classes.sort();
  const look = { kind: f.kind, holders: classes.join(' ') };
  looks.set(f, look);
  return look;
}

/** More than this many alike rows in a row are folded into one (the built-in scenarios never have that many). */
export const FOLD_ROWS = 32;
/** Rows an opened fold shows at first, and how many more each "show more" adds. */
export const FOLD_WINDOW = 64;

/**
 * Whether line `b`, right after line `a`, would be drawn alike: both PTE lines of the same VMA, `b` at the page
 * after `a`'s last, and either both not present, or both present with the same bits (writable, accessed,
 * dirty, special), the same folio kind and holder classes, `b` mapping `a`'s folio again or the next folio
 * (id + 1, as sequential faults allocate them). Such rows differ only in their address and folio number.
 */
export function alikeLines(a: PtLine, b: PtLine, lookOf: (folio: number) => FolioLook | undefined): boolean {
  if (a.level !== 'pte' || b.level !== 'pte' || a.vma !== b.vma) return false;
  if (b.n !== a.n + a.count) return false;
  const x = a.entry;
  const y = b.entry;
  if (x === null || y === null) return x === y;
  if (x.rw !== y.rw || x.accessed !== y.accessed || x.dirty !== y.dirty || x.special !== y.special) return false;
  if (y.folio !== x.folio && y.folio !== x.folio + 1) return false;
  if (y.folio === x.folio) return true;
  const lx = lookOf(x.folio);
  const ly = lookOf(y.folio);
  return lx !== undefined && ly !== undefined && (lx === ly || (lx.kind === ly.kind && lx.holders === ly.holders));
}

/** A folded run of alike rows, on the row that stands for it (or on the "show more" row of an opened one). */
export interface PtFold {
  /** Stable key of the fold: its first address (what `open` is keyed by). */
  key: string;
  /** Rows folded (before folding, as they would be drawn), and the pages they stand for. */
  rows: number;
  pages: number;
  /** The last page's address. */
  lastVa: number;
  /** Opened: this many of its rows are drawn after it (0 when closed). */
  shown: number;
  /** What its rows have in common, in words ("anon, writable, dirty"; "not present"). */
  what: string;
  /** Folios mapped, first and last (null when not present). */
  folios: { first: number; last: number } | null;
}

export interface FoldOptions {
  /** A folio's look (kind, holder classes): folios of different looks never fold together. */
  lookOf?: (folio: number) => FolioLook | undefined;
  /** Addresses whose rows stay visible (the current event's). */
  keepVas?: readonly number[];
  /** Folios whose first PTE row stays visible (the selected one, the event's). */
  keepFolios?: readonly (number | null | undefined)[];
  /** Opened folds by key: how many of their rows are shown. */
  open?: ReadonlyMap<string, number>;
  /** Fold runs of more than this many alike rows (FOLD_ROWS); Infinity: never fold. */
  threshold?: number;
}

const KIND_WORD: Record<FolioKind, string> = { anon: 'anon', file: 'page cache', zero: 'zero page', hugezero: 'huge zero' };
const CLASS_WORD: Record<string, string> = { cache: 'cached', gup: 'GUP-held', bio: 'in a bio', dio: 'dio-queued', vfio: 'vfio-mapped', pipe: 'in a pipe', kernel: 'kernel-held', leak: 'leaked', other: 'other holders' };

/** What alike rows have in common, in words: "anon, writable, accessed, dirty" or "not present". */
export function foldWhat(entry: PteView | null, look: FolioLook | undefined): string {
  if (!entry) return 'not present';
  const words: string[] = [];
  if (look) words.push(KIND_WORD[look.kind]);
  words.push(entry.rw ? 'writable' : 'read-only');
  if (entry.accessed) words.push('accessed');
  if (entry.dirty) words.push('dirty');
  if (entry.special) words.push('special');
  for (const c of look?.holders.split(' ') ?? []) if (c && c !== 'map') words.push(CLASS_WORD[c] ?? c);
  return words.join(', ');
}

export function formatPages(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'page' : 'pages'}`;
}

/** A folded row's text: "PTEs 0x…–0x… · 262,144 pages · anon, writable, dirty". */
export function foldText(r: PtRow): string {
  const f = r.fold!;
  return `PTEs ${hexVa(r.va)}–${hexVa(f.lastVa)} · ${formatPages(f.pages)} · ${f.what}`;
}

/** The lines of a task at this step, in address order (PMD slots before the PTEs they cover). */
export function linesOf(pages: readonly number[], pmds: readonly number[], view: TaskView | undefined): PtLine[] {
  const ptes: PteView[] = [];
  const pmdAt = new Map<number, PteView>();
  for (const e of view?.entries ?? []) {
    if (e.level === 'pte') ptes.push(e);
    else pmdAt.set(Math.floor(e.va / PMD_SIZE), e);
  }
  // Entries come sorted by address; a thread's entries (built here) too. Walk them beside the pages.
  const vmas = [...(view?.vmas ?? [])].sort((a, b) => a.start - b.start);
  let vi = 0;
  const vmaAt = (va: number): string | undefined => {
    // Lines come in address order, so the VMA pointer only moves forward (from the start if not).
    if (vi > 0 && (vi >= vmas.length || vmas[vi]!.start > va) && vmas[vi - 1]!.end > va) vi = 0;
    while (vi < vmas.length && vmas[vi]!.end <= va) vi++;
    const v = vmas[vi];
    return v && va >= v.start && va < v.end ? v.name : undefined;
  };
  let pi = 0;
  const pteAt = (n: number): PteView | null => {
    const va = n * PAGE_SIZE;
    while (pi < ptes.length && ptes[pi]!.va < va) pi++;
    const e = ptes[pi];
    return e && e.va === va ? e : null;
  };

  const lines: PtLine[] = [];
  const pushPte = (n: number, entry: PteView | null, count: number, stride: 0 | 1) => {
    const va = n * PAGE_SIZE;
    lines.push({ level: 'pte', n, va, count, entry, stride, vma: entry?.vma ?? vmaAt(va) });
  };
  let mi = 0;
  let k = 0;
  while (k < pages.length || mi < pmds.length) {
    const pageVa = k < pages.length ? pages[k]! * PAGE_SIZE : Infinity;
    if (mi < pmds.length && pmds[mi]! * PMD_SIZE <= pageVa) {
      const n = pmds[mi]!;
      const va = n * PMD_SIZE;
      const entry = pmdAt.get(n) ?? null;
      lines.push({ level: 'pmd', n, va, count: 1, entry, stride: 0, vma: entry?.vma ?? vmaAt(va) });
      mi++;
      continue;
    }
    // A block: consecutive pages (vpn + 1) under the same PMD entry, ending before the next PMD slot.
    const first = pages[k]!;
    // The block ends at the PMD's last page, or before the next PMD slot.
    const stop = Math.min((Math.floor(first / 512) + 1) * 512, mi < pmds.length ? pmds[mi]! * 512 : Infinity);
    let end = k + 1;
    while (end < pages.length && pages[end] === pages[end - 1]! + 1 && pages[end]! < stop) end++;
    const entries: (PteView | null)[] = [];
    for (let j = k; j < end; j++) entries.push(pteAt(pages[j]!));
    if (end - k < FOLD_MIN) {
      for (let j = k; j < end; j++) pushPte(pages[j]!, entries[j - k]!, 1, 0);
    } else {
      let j = 0;
      const len = end - k;
      while (j < len) {
        const e0 = entries[j]!;
        const e1 = j + 1 < len ? entries[j + 1]! : null;
        const stride: 0 | 1 = e0 && e1 && e1.folio === e0.folio && e1.page === e0.page + 1 ? 1 : 0;
        let r = j + 1;
        while (r < len && sameEntry(entries[r - 1]!, entries[r]!, stride)) r++;
        if (r - j >= RUN_MIN) pushPte(first + j, e0, r - j, stride);
        else pushPte(first + j, e0, 1, 0);
        j = r;
      }
    }
    k = end;
  }
  return lines;
}

/** Compute the rows (each `rowH` tall), the merged index cells of the upper levels and the VMA bands. */
export function layoutPageTables(catalog: Catalog, task: string, view: TaskView | undefined, rowH = ROW_H, fold: FoldOptions = {}): PtLayout {
  const { pages, pmds } = addressesFor(catalog, task, view);
  const pmdAt = new Map<number, PteView>();
  for (const e of view?.entries ?? []) if (e.level === 'pmd') pmdAt.set(Math.floor(e.va / PMD_SIZE), e);
  const lines = linesOf(pages, pmds, view);

  const rows: PtRow[] = [];
  const foldH = Math.max(rowH, 2 * ROW_H);
  const rowOf = (l: PtLine): PtRow => {
    const i = walkIndices(l.va);
    const lastN = l.n + l.count - 1;
    return {
      key: `${l.level}:${l.va}`,
      level: l.level,
      va: l.va,
      count: l.count,
      indices: { pgd: i.pgd, pud: i.pud, pmd: i.pmd, pte: l.level === 'pmd' ? -1 : i.pte },
      pteLast: l.level === 'pmd' ? -1 : lastN % 512,
      entry: l.entry,
      pageStride: l.count > 1 ? l.stride : 0,
      y: 0,
      h: rowH,
    };
  };
  const threshold = fold.threshold ?? FOLD_ROWS;
  // Each line is compared with the one before and the one after: remember the last folio looked at.
  const given = fold.lookOf;
  let lastId = -1;
  let lastLook: FolioLook | undefined;
  const lookOf = (id: number): FolioLook | undefined => {
    if (id !== lastId) {
      lastId = id;
      lastLook = given?.(id);
    }
    return lastLook;
  };
  const keep = keptLines(lines, fold);
  const pushFold = (seg: PtLine[]) => {
    const first = seg[0]!;
    const last = seg[seg.length - 1]!;
    const key = `fold:${first.va}`;
    const shown = Math.min(seg.length, fold.open?.get(key) ?? 0);
    const pages = last.n + last.count - first.n;
    const lastEntry = last.entry;
    const base = rowOf(first);
    const info: PtFold = {
      key,
      rows: seg.length,
      pages,
      lastVa: (last.n + last.count - 1) * PAGE_SIZE,
      shown,
      what: foldWhat(first.entry, first.entry ? lookOf(first.entry.folio) : undefined),
      folios: first.entry && lastEntry ? { first: first.entry.folio, last: lastEntry.folio } : null,
    };
    rows.push({ ...base, key, count: pages, pteLast: last.n % 512 + last.count - 1, h: foldH, fold: info });
    for (let j = 0; j < shown; j++) rows.push(rowOf(seg[j]!));
    if (shown > 0 && shown < seg.length) {
      const next = seg[shown]!;
      rows.push({ ...rowOf(next), key: `more:${first.va}`, count: pages - (next.n - first.n), more: info });
    }
  };
  let g = 0;
  while (g < lines.length) {
    let end = g + 1;
    while (end < lines.length && alikeLines(lines[end - 1]!, lines[end]!, lookOf)) end++;
    if (end - g <= threshold) {
      for (let j = g; j < end; j++) rows.push(rowOf(lines[j]!));
    } else {
      // Kept lines split the run; what lies between them folds again if it is still long.
      let s = g;
      for (let j = g; j <= end; j++) {
        if (j < end && !keep.has(j)) continue;
        const seg = lines.slice(s, j);
        if (seg.length > threshold) pushFold(seg);
        else for (const l of seg) rows.push(rowOf(l));
        if (j < end) rows.push(rowOf(lines[j]!));
        s = j + 1;
      }
    }
    g = end;
  }

  let y = 0;
  for (const r of rows) {
    r.y = y;
    y += r.h;
  }

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
  // A folded row (and an opened fold's "show more" row) is drawn across the level columns: no cell over it, and
  // the cells of the rows around it stop at it.
  const plain = (r: PtRow | undefined) => r !== undefined && !r.fold && !r.more;
  const spanKeys = new Set<string>();
  for (const l of levels) {
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      const a = rows[start]!;
      const b = rows[i];
      if (plain(a) && plain(b) && l.path(b!) === l.path(a)) continue;
      const last = rows[i - 1]!;
      if (plain(a)) {
        const leaf = l.level === 'pmd' && pmdAt.has(Math.floor(a.va / PMD_SIZE));
        // The same entry's cell again past a fold: keyed by where it starts.
        let key = `${l.level}:${l.path(a)}`;
        if (spanKeys.has(key)) key += `@${a.va}`;
        spanKeys.add(key);
        spans.push({
          level: l.level,
          index: a.indices[l.level],
          present: l.present(a),
          leaf,
          y: a.y,
          h: last.y + last.h - a.y,
          key,
        });
      }
      start = i;
    }
  }

  const vmaBands: VmaBand[] = [];
  const vmaOf = (r: PtRow) => view?.vmas.find((v) => r.va >= v.start && r.va < v.end)?.name;
  let cur: VmaBand | null = null;
  for (const r of rows) {
    const name = vmaOf(r);
    if (name !== undefined && cur && cur.name === name && cur.y + cur.h === r.y) {
      cur.h += r.h;
      continue;
    }
    cur = name !== undefined ? { name, y: r.y, h: r.h } : null;
    if (cur) vmaBands.push(cur);
  }

  return { rows, spans, vmaBands, height: y };
}

/** Indices of the lines that are never folded away: the kept addresses' and each kept folio's first line. */
function keptLines(lines: readonly PtLine[], fold: FoldOptions): Set<number> {
  const keep = new Set<number>();
  const vas = fold.keepVas ?? [];
  const folios = new Set((fold.keepFolios ?? []).filter((f): f is number => typeof f === 'number'));
  if (vas.length === 0 && folios.size === 0) return keep;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.level !== 'pte') continue;
    if (l.entry && folios.has(l.entry.folio)) {
      keep.add(i);
      folios.delete(l.entry.folio);
    }
    for (const va of vas) if (va >= l.va && va < l.va + l.count * PAGE_SIZE) keep.add(i);
  }
  return keep;
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
