// The memory view's layout: every folio the run ever created, in pfn order, flowed into rows of fixed-width
// cells. A large folio spans more cells (compressed: 2 cells for orders 3-6, 3 from order 7, so a 2 MiB
// folio is a 3-cell-wide block with 512 page ticks), and nothing moves from step to step because the layout depends only on the
// catalog and the panel width, never on the step.
//
// Sized for 262,144 frames: the layout is a few typed arrays filled in one pass (no objects per folio), the
// rows are uniform so the rows in view are found by division, and only those rows become SVG. For large
// catalogs a dense overview (one canvas cell per folio, or per bucket of folios) shows the whole of memory.

import { HOLDER_KINDS, type Catalog, type CatalogFolio, type FolioView, type HolderView, type SimEvent } from '../../core';

/** One cell (a small folio's block), the gap between cells and the height of a row. */
export const CELL_W = 140;
export const CELL_H = 128;
export const GAP = 8;
export const PAD = 8;
export const ROW_H = CELL_H + GAP;
/** Cells a large folio spans at most. */
export const MAX_SPAN = 3;
/** From this many folios on, the panel adds the dense overview of all frames. */
export const DENSE_THRESHOLD = 1024;

/** Cells a folio of `order` spans: 1 for small folios and orders 1-2, 2 for orders 3-6, 3 from order 7 (a 2 MiB THP). */
export function spanUnits(order: number): number {
  if (order < 3) return 1;
  return order < 7 ? 2 : MAX_SPAN;
}

/** How many cells fit across `width` pixels (at least one). */
export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width - 2 * PAD + GAP) / (CELL_W + GAP)));
}

/** The cell width that fills `width` pixels with `columns` cells (never below CELL_W, at most 1.25 CELL_W). */
export function cellWidthFor(width: number, columns: number): number {
  const fill = Math.floor((width - 2 * PAD + GAP) / Math.max(1, columns)) - GAP;
  return Math.max(CELL_W, Math.min(Math.round(CELL_W * 1.25), fill));
}

/** Pixel width of a block spanning `span` cells of `cellW` pixels. */
export function blockWidth(span: number, cellW = CELL_W): number {
  return span * cellW + (span - 1) * GAP;
}

/** Overview cell states, by how much they matter (a bucket shows its most notable member). */
export const OV_EMPTY = 0;
export const OV_FREED = 1;
export const OV_FILE = 2;
export const OV_ANON = 3;
export const OV_HUGEZERO = 4;
export const OV_ZERO = 5;

// ---- the catalog, indexed once per run ----------------------------------------------------------------

export interface FrameModel {
  folios: readonly CatalogFolio[];
  /** Catalog indices in pfn order. */
  byPfn: Int32Array;
  /** Position in pfn order of each catalog index (inverse of byPfn). */
  positionOf: Int32Array;
  /** The earliest step by which each catalog folio had been allocated (Infinity: never seen by an event). */
  bornStep: Float64Array;
  /** Per pfn-order position: the folio's order (so layouts read one typed array). */
  orderAt: Uint8Array;
  /** Per catalog index: the overview state of the folio when alive (OV_ZERO, OV_ANON, ...). */
  kindCode: Uint8Array;
  /** Total pages over all folios. */
  pages: number;
}

const models = new WeakMap<readonly CatalogFolio[], WeakMap<readonly SimEvent[], FrameModel>>();

/**
 * Index the catalog for the memory view. `events` are the run's events: a folio counts as allocated at the
 * first event that names it. Folio ids grow with time, so a folio is allocated no later than any folio with a
 * higher id (that fills in folios created inside muted repeat spans, and the boot-time zero folios).
 */
export function frameModel(catalog: Pick<Catalog, 'folios'>, events: readonly SimEvent[]): FrameModel {
  let perEvents = models.get(catalog.folios);
  const hit = perEvents?.get(events);
  if (hit) return hit;
  const folios = catalog.folios;
  const n = folios.length;
  const byPfn = new Int32Array(n);
  let sorted = true;
  let pages = 0;
  for (let i = 0; i < n; i++) {
    byPfn[i] = i;
    const f = folios[i]!;
    pages += 2 ** f.order;
    if (i > 0 && f.pfn < folios[i - 1]!.pfn) sorted = false;
  }
  if (!sorted) byPfn.sort((a, b) => folios[a]!.pfn - folios[b]!.pfn || folios[a]!.id - folios[b]!.id);
  const positionOf = new Int32Array(n);
  const orderAt = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    positionOf[byPfn[p]!] = p;
    orderAt[p] = folios[byPfn[p]!]!.order;
  }
  const kindCode = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const kind = folios[i]!.kind;
    kindCode[i] = kind === 'zero' ? OV_ZERO : kind === 'hugezero' ? OV_HUGEZERO : kind === 'file' ? OV_FILE : OV_ANON;
  }
  const bornStep = new Float64Array(n).fill(Infinity);
  let lastId = -1;
  let lastIndex = -1;
  for (let e = 0; e < events.length; e++) {
    const id = events[e]!.folio;
    if (id === undefined) continue;
    // Runs of events on the same folio are common (a repeat loop): skip the search for them.
    const i = id === lastId ? lastIndex : catalogIndex(folios, id);
    lastId = id;
    lastIndex = i;
    if (i >= 0 && bornStep[i] === Infinity) bornStep[i] = e + 1;
  }
  for (let i = n - 2; i >= 0; i--) if (bornStep[i + 1]! < bornStep[i]!) bornStep[i] = bornStep[i + 1]!;
  const model: FrameModel = { folios, byPfn, positionOf, bornStep, orderAt, kindCode, pages };
  if (!perEvents) {
    perEvents = new WeakMap();
    models.set(folios, perEvents);
  }
  perEvents.set(events, model);
  return model;
}

/** Index of folio `id` in a list sorted by id (the catalog, or a snapshot's folios); -1 when absent. */
export function catalogIndex(list: readonly { id: number }[], id: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!.id;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// ---- the flow layout ----------------------------------------------------------------------------------

export interface FrameLayout {
  columns: number;
  /** Width of one cell: CELL_W, or wider to fill the panel. */
  cellW: number;
  count: number;
  /** Per pfn-order position: column, row and span in cells. */
  col: Int32Array;
  row: Int32Array;
  span: Uint8Array;
  /** rowStart[r] = first position in row r; rowStart[rows] = count. */
  rowStart: Int32Array;
  rows: number;
  /** Pixel size of the whole grid. */
  width: number;
  height: number;
}

/**
 * Flow the folios (in pfn order) into rows of `columns` cells, each `cellW` wide (at least CELL_W). One pass
 * over typed arrays: O(n), about a millisecond for 262,144 folios.
 */
export function layoutFrames(model: FrameModel, columns: number, cellW = CELL_W): FrameLayout {
  const n = model.byPfn.length;
  const cols = Math.max(1, Math.floor(columns));
  const cw = Math.max(CELL_W, Math.floor(cellW));
  const col = new Int32Array(n);
  const row = new Int32Array(n);
  const span = new Uint8Array(n);
  const starts = new Int32Array(n + 1);
  let c = 0;
  let r = 0;
  if (n > 0) starts[0] = 0;
  const orderAt = model.orderAt;
  for (let p = 0; p < n; p++) {
    const o = orderAt[p]!;
    const s = Math.min(cols, o < 3 ? 1 : o < 7 ? 2 : MAX_SPAN);
    if (c + s > cols) {
      c = 0;
      r++;
      starts[r] = p;
    }
    col[p] = c;
    row[p] = r;
    span[p] = s;
    c += s;
  }
  const rows = n === 0 ? 0 : r + 1;
  starts[rows] = n;
  return {
    columns: cols,
    cellW: cw,
    count: n,
    col,
    row,
    span,
    rowStart: starts.subarray(0, rows + 1),
    rows,
    width: 2 * PAD + cols * cw + (cols - 1) * GAP,
    height: rows === 0 ? 0 : 2 * PAD + rows * ROW_H - GAP,
  };
}

/**
 * The scale (1 down to 0.7) at which the whole grid fits `height` when the panel is short, or 1 when it fits
 * anyway or never will (large catalogs scroll instead). Narrower scales get more columns.
 */
export function fitScale(model: FrameModel, width: number, height: number): number {
  if (model.byPfn.length > 256 || height <= 0) return 1;
  for (const s of [1, 0.9, 0.8, 0.7]) {
    const w = width / s;
    if (layoutFrames(model, columnsFor(w)).height * s <= height) return s;
  }
  return 1;
}

/** The rows that intersect [top, top + height) of the grid, widened by `overscan` rows: [first, end). */
export function visibleRows(layout: FrameLayout, top: number, height: number, overscan = 1): [number, number] {
  if (layout.rows === 0) return [0, 0];
  const first = Math.floor((top - PAD) / ROW_H) - overscan;
  const last = Math.floor((top + height - PAD) / ROW_H) + overscan;
  return [Math.max(0, Math.min(layout.rows, first)), Math.max(0, Math.min(layout.rows, last + 1))];
}

/** Pixel y of the top of row `r`. */
export function rowTop(r: number): number {
  return PAD + r * ROW_H;
}

// ---- the state of each slot at a step -----------------------------------------------------------------

export type SlotState = 'alive' | 'freed' | 'unborn';

export interface FrameItem {
  id: number;
  folio: CatalogFolio;
  x: number;
  y: number;
  w: number;
  h: number;
  span: number;
  state: SlotState;
  /** The folio's counters at this step (alive folios only). */
  view?: FolioView;
}

/**
 * The blocks of rows [r0, r1) at a step. `folios` are the snapshot's folios (sorted by id, as the snapshot
 * gives them); `step` decides whether a folio that is not alive is freed or not yet allocated.
 */
export function frameItems(model: FrameModel, layout: FrameLayout, folios: readonly FolioView[], step: number, r0: number, r1: number): FrameItem[] {
  const out: FrameItem[] = [];
  if (layout.rows === 0) return out;
  const from = layout.rowStart[Math.max(0, r0)] ?? layout.count;
  const to = layout.rowStart[Math.min(layout.rows, r1)] ?? layout.count;
  // Every catalog folio up to the highest id alive now has been allocated.
  const newest = folios.length > 0 ? catalogIndex(model.folios, folios[folios.length - 1]!.id) : -1;
  for (let p = from; p < to; p++) {
    const ci = model.byPfn[p]!;
    const folio = model.folios[ci]!;
    const vi = catalogIndex(folios, folio.id);
    const view = vi >= 0 ? folios[vi] : undefined;
    const state: SlotState = view ? 'alive' : ci <= newest || model.bornStep[ci]! <= step ? 'freed' : 'unborn';
    const span = layout.span[p]!;
    out.push({
      id: folio.id,
      folio,
      x: PAD + layout.col[p]! * (layout.cellW + GAP),
      y: rowTop(layout.row[p]!),
      w: blockWidth(span, layout.cellW),
      h: CELL_H,
      span,
      state,
      ...(view ? { view } : {}),
    });
  }
  return out;
}

/**
 * Whether folio `id`, absent from the snapshot at `step`, had been allocated by then (so it was freed) or not.
 * `folios` are the snapshot's folios, sorted by id.
 */
export function bornTest(model: FrameModel, folios: readonly { id: number }[], step: number): (id: number) => boolean {
  const newest = folios.length > 0 ? catalogIndex(model.folios, folios[folios.length - 1]!.id) : -1;
  return (id) => {
    const ci = catalogIndex(model.folios, id);
    return ci >= 0 && (ci <= newest || model.bornStep[ci]! <= step);
  };
}

/** The row a folio sits on (for scrolling it into view); -1 when it is not in the catalog. */
export function rowOfFolio(model: FrameModel, layout: FrameLayout, id: number): number {
  const ci = catalogIndex(model.folios, id);
  if (ci < 0) return -1;
  return layout.row[model.positionOf[ci]!] ?? -1;
}

// ---- what a block shows ---------------------------------------------------------------------------------

export interface BarSegment {
  /** Holder kind (the colour), or `unowned` for references no holder accounts for. */
  kind: string;
  refs: number;
  holders: string[];
  leaked: boolean;
  x: number;
  w: number;
}

/** Holder kinds in the order the bar stacks them (mappings first, leaks last). */
export const BAR_ORDER: readonly string[] = HOLDER_KINDS;

function barRank(kind: string): number {
  const i = BAR_ORDER.indexOf(kind);
  return i < 0 ? BAR_ORDER.length - 1 : i;
}

/**
 * The stacked bar of a folio's refcount: one segment per holder kind, widths proportional to the references
 * each kind holds, so the bar is the refcount as a sum of parts. Every non-empty segment gets at least
 * `minW` pixels (a single mapping reference next to a 1024 pin bias would otherwise vanish); the others
 * share the rest in proportion. References no holder owns (a broken invariant) form an `unowned` segment.
 */
export function barSegments(holders: readonly HolderView[], refcount: number, width: number, minW = 3): BarSegment[] {
  const byKind = new Map<string, BarSegment>();
  for (const h of holders) {
    if (h.refs <= 0) continue;
    const kind = h.leaked ? 'leak' : h.kind;
    const seg = byKind.get(kind) ?? { kind, refs: 0, holders: [], leaked: h.leaked, x: 0, w: 0 };
    seg.refs += h.refs;
    seg.holders.push(h.label);
    byKind.set(kind, seg);
  }
  const segs = [...byKind.values()].sort((a, b) => barRank(a.kind) - barRank(b.kind));
  const held = segs.reduce((s, x) => s + x.refs, 0);
  if (refcount > held) segs.push({ kind: 'unowned', refs: refcount - held, holders: [], leaked: true, x: 0, w: 0 });
  const total = segs.reduce((s, x) => s + x.refs, 0);
  if (total <= 0 || width <= 0) return [];
  const floor = Math.min(minW, width / segs.length);
  // Segments that would be thinner than the floor get the floor; the rest share what remains.
  const small = segs.filter((s) => (s.refs / total) * width < floor);
  const smallRefs = small.reduce((s, x) => s + x.refs, 0);
  const rest = width - small.length * floor;
  let x = 0;
  for (const s of segs) {
    s.w = small.includes(s) ? floor : (s.refs / (total - smallRefs)) * rest;
    s.x = x;
    x += s.w;
  }
  return segs;
}

/** The refcount written as the sum of its holder kinds' parts, shortest first when it does not fit. */
export function sumText(segments: readonly BarSegment[], maxChars: number): string {
  const terms = segments.map((s) => String(s.refs));
  const full = terms.join(' + ');
  if (full.length <= maxChars) return full;
  const compact = terms.join('+');
  if (compact.length <= maxChars) return compact;
  return `${terms.length} holder kinds`;
}

export interface Badge {
  key: string;
  text: string;
  title: string;
}

/** The flags a folio shows as badges. */
export function folioBadges(v: FolioView): Badge[] {
  const out: Badge[] = [];
  if (v.exclusive) out.push({ key: 'exclusive', text: 'AE', title: 'PageAnonExclusive: exclusive to one process, may be pinned without unsharing' });
  if (v.dirty) out.push({ key: 'dirty', text: 'dirty', title: 'dirty: must be written back before it can be dropped' });
  if (v.reserved) out.push({ key: 'reserved', text: 'rsvd', title: 'PG_reserved: never freed' });
  if (v.pinned) out.push({ key: 'pinned', text: 'pinned', title: v.order > 0 ? 'folio_maybe_dma_pinned(): pincount > 0' : 'folio_maybe_dma_pinned(): refcount ≥ 1024 (may be pinned for DMA)' });
  if (v.refcount < 0) out.push({ key: 'wrapped', text: 'wrapped', title: 'the 32-bit refcount overflowed and wrapped negative' });
  return out;
}

export function badgeWidth(text: string): number {
  return Math.round(text.length * 5.8 + 8);
}

/**
 * SVG path of the page ticks inside a large folio's block: one tick per page, compressed to the block's width.
 * With fewer than 1.5 px per page, only every 8th page is ticked, and every 64th drawn taller.
 */
export function pageTicks(pages: number, width: number, height: number): { minor: string; major: string } {
  if (pages <= 1 || width <= 0) return { minor: '', major: '' };
  const every = width / pages >= 1.5 ? 1 : width / (pages / 8) >= 1.5 ? 8 : 64;
  const majorEvery = pages >= 64 ? 64 : pages;
  let minor = '';
  let major = '';
  for (let p = 0; p <= pages; p += every) {
    const x = Math.round((p / pages) * width * 10) / 10;
    if (p % majorEvery === 0) major += `M${x},0V${height}`;
    else minor += `M${x},${height * 0.45}V${height}`;
  }
  return { minor, major };
}

// ---- the dense overview ---------------------------------------------------------------------------------


export interface OverviewGrid {
  /** Cell size in pixels (square). */
  cell: number;
  cols: number;
  rows: number;
  /** Folios (in pfn order) per cell. */
  perCell: number;
  cells: number;
}

/** The densest grid of square cells that shows `n` folios in `width` × `height` pixels (buckets if needed). */
export function overviewGrid(n: number, width: number, height: number): OverviewGrid {
  const w = Math.max(1, Math.floor(width));
  const h = Math.max(1, Math.floor(height));
  if (n <= 0) return { cell: 1, cols: w, rows: 0, perCell: 1, cells: 0 };
  let cell = Math.max(1, Math.floor(Math.sqrt((w * h) / n)));
  while (cell > 1 && Math.floor(w / cell) * Math.floor(h / cell) < n) cell--;
  const cols = Math.max(1, Math.floor(w / cell));
  const capacity = cols * Math.max(1, Math.floor(h / cell));
  const perCell = Math.max(1, Math.ceil(n / capacity));
  const cells = Math.ceil(n / perCell);
  return { cell, cols, rows: Math.ceil(cells / cols), perCell, cells };
}

/**
 * The state of every overview cell at a step. One pass over the snapshot's folios (marking alive ones) and
 * one over the catalog in pfn order: O(n) with typed arrays, a few milliseconds for 262,144 folios.
 */
export function overviewStates(model: FrameModel, grid: OverviewGrid, folios: readonly FolioView[], step: number): Uint8Array {
  const n = model.folios.length;
  const cat = model.folios;
  // Per catalog index: the alive state's code, or 0. Both lists are sorted by id: walk them together.
  const state = new Uint8Array(n);
  let ci = 0;
  let newest = -1;
  for (let k = 0; k < folios.length; k++) {
    const id = folios[k]!.id;
    while (ci < n && cat[ci]!.id < id) ci++;
    if (ci < n && cat[ci]!.id === id) {
      state[ci] = model.kindCode[ci]!;
      newest = ci;
    }
  }
  const born = model.bornStep;
  for (let i = 0; i < n; i++) if (state[i] === 0) state[i] = i <= newest || born[i]! <= step ? OV_FREED : OV_EMPTY;
  const out = new Uint8Array(grid.cells);
  const byPfn = model.byPfn;
  const per = grid.perCell;
  for (let p = 0, c = 0, k = 0; p < n; p++) {
    const s = state[byPfn[p]!]!;
    if (s > out[c]!) out[c] = s;
    if (++k === per) {
      k = 0;
      c++;
    }
  }
  return out;
}

/** The overview cell of a pfn-order position. */
export function overviewCell(grid: OverviewGrid, position: number): { x: number; y: number; index: number } {
  const index = Math.floor(position / grid.perCell);
  return { index, x: (index % grid.cols) * grid.cell, y: Math.floor(index / grid.cols) * grid.cell };
}

/** The pfn-order position under overview pixel (x, y), or -1. */
export function overviewHit(grid: OverviewGrid, count: number, x: number, y: number): number {
  const c = Math.floor(x / grid.cell);
  const r = Math.floor(y / grid.cell);
  if (c < 0 || c >= grid.cols || r < 0) return -1;
  const p = (r * grid.cols + c) * grid.perCell;
  return p < count ? p : -1;
}
