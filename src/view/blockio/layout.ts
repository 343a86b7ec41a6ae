// Block I/O view layout: pure functions from the catalog (every dio and bio the run ever made, in a fixed
// order) and the snapshot to positions. A bio keeps its row for the whole run; its state only moves it
// sideways between lanes (building → in flight → completion), and its bvecs are segments sized by bytes.

import { scaleBand, scaleLinear } from 'd3-scale';
import { holder, type BioView, type BvecView, type Catalog, type DioView, type FolioKind, type FolioView, type Snapshot } from '../../core';

export const LANES = ['building', 'inflight', 'completion'] as const;
export type Lane = (typeof LANES)[number];
export const LANE_LABEL: Record<Lane, string> = {
  building: 'building',
  inflight: 'submitted: in flight',
  completion: 'completed → released',
};
export const LANE_SHORT: Record<Lane, string> = {
  building: 'building',
  inflight: 'in flight',
  completion: 'completion',
};

/** Average glyph width of the 10.5px UI font, for fitting text without measuring it. */
export const CHAR_W = 5.9;

export interface TextPart {
  key: string;
  text: string;
  /** 0 is always kept; higher numbers are dropped first when the line is too long. */
  prio: number;
}

/** The parts of a line that fit in `px` (dropping the least important first), in their original order. */
export function fitParts(parts: readonly TextPart[], px: number, charW = CHAR_W, gap = 1): TextPart[] {
  const kept = [...parts];
  const len = () => kept.reduce((n, p) => n + p.text.length + gap, 0) * charW;
  while (len() > px) {
    let worst = -1;
    for (const [i, p] of kept.entries()) if (p.prio > 0 && (worst < 0 || p.prio >= kept[worst]!.prio)) worst = i;
    if (worst < 0) break;
    kept.splice(worst, 1);
  }
  return kept;
}

export const DIO_H = 40;
/** A dio's extra height when its header takes two lines (the state and refcount on a line of their own). */
export const DIO_LINE_H = 15;
export const LANE_HEAD_H = 18;
export const BIO_HEAD_H = 15;
export const BAR_H = 24;
export const HOLD_H = 12;
export const BIO_GAP = 8;
export const BIO_H = BIO_HEAD_H + BAR_H + HOLD_H + BIO_GAP;
export const CHIP = 15;
export const MIN_SEG = 3;

export type BvecStatus = 'held' | 'noref' | 'released';

export interface SegmentLayout {
  index: number;
  bvec: BvecView;
  kind: FolioKind | undefined;
  /** Offset and width inside the bar (px). */
  x: number;
  w: number;
  status: BvecStatus;
  /** For reads (the device writes into user memory): whether the folio is marked dirty now; undefined for writes. */
  dirty: boolean | undefined;
}

export interface BioLayout {
  id: number;
  name: string;
  bio: BioView | undefined;
  /** Row top (px), fixed for the run. */
  y: number;
  lane: Lane;
  /** Bar left edge (px) and width. */
  x: number;
  w: number;
  segments: SegmentLayout[];
}

export interface DioLayout {
  id: number;
  name: string;
  dio: DioView | undefined;
  y: number;
}

export interface BlockIoLayout {
  width: number;
  dios: DioLayout[];
  /** Lines of every dio's header: 2 when its name and tags cannot share a line with its state. */
  dioRows: 1 | 2;
  /** Height of a dio's row. */
  dioH: number;
  lanesY: number;
  lanes: { lane: Lane; x: number; w: number }[];
  bios: BioLayout[];
  /** Bytes that the widest bar stands for (the scale's domain end). */
  maxBytes: number;
  height: number;
}

/** Which lane a bio's state puts it in; a bio not allocated yet waits (faded) in the first lane. */
export function laneOf(bio: BioView | undefined): Lane {
  if (!bio || bio.state === 'building') return 'building';
  if (bio.state === 'submitted') return 'inflight';
  return 'completion';
}

/** The byte span the bar scale covers: the largest bio at this step, rounded up to a power of two, at least 4 KiB. */
export function scaleBytes(bios: readonly (BioView | undefined)[]): number {
  let max = 4096;
  for (const b of bios) if (b) max = Math.max(max, b.bytes);
  return 2 ** Math.ceil(Math.log2(max));
}

/**
 * What a bio still holds on each bvec's page: the bio's holder entry on the folio says how many references
 * (FOLL_GET) or pins it has; they are handed to the bvecs from the last one back, since completion releases
 * them first to last. A bvec with nothing behind it is `noref` while the bio is building or in flight (no
 * reference was taken: hold none, or a pin of the zero page, which since v6.5 changes nothing) and `released`
 * once the bio has completed.
 */
export function bvecStatuses(bio: BioView, folios: readonly FolioView[]): BvecStatus[] {
  const key = holder.bio(bio);
  const left = new Map<number, number>();
  for (const f of folios) {
    const h = f.holders.find((x) => x.key === key);
    if (!h) continue;
    left.set(f.id, h.pins > 0 ? h.pins : h.refs);
  }
  const done = bio.state === 'completed' || bio.state === 'released';
  const out: BvecStatus[] = bio.bvecs.map((): BvecStatus => 'held');
  for (let i = bio.bvecs.length - 1; i >= 0; i--) {
    const v = bio.bvecs[i]!;
    const have = left.get(v.folio) ?? 0;
    const need = Math.max(1, v.pages);
    if (v.hold !== 'none' && have >= need && bio.state !== 'released') {
      left.set(v.folio, have - need);
      out[i] = 'held';
    } else out[i] = done ? 'released' : 'noref';
  }
  return out;
}

/** A dio's state as its header says it (the refcount follows it). */
export function dioStateText(d: DioView): string {
  if (d.state === 'inflight') return 'in flight';
  if (d.state === 'done') return `done: ${d.result < 0 ? `error ${d.result}` : `${formatBytes(d.result)}`}`;
  if (d.state === 'fallback') return 'fallback to buffered I/O';
  return d.state;
}

export function dioStateLine(d: DioView): string {
  return `${dioStateText(d)} · refcount ${d.refcount}`;
}

/**
 * The parts of a dio's header line, the least important dropped first: the file and task, then how it takes
 * pages (the bios say it too), then sync or async, then the legacy engine's source file; the name, engine and
 * direction always stay.
 */
export function dioHeadParts(d: DioView): TextPart[] {
  const legacy = d.engine === 'legacy';
  return [
    { key: 'dio', text: d.name, prio: 0 },
    { key: 'engine', text: legacy ? 'legacy' : d.engine, prio: 0 },
    ...(legacy ? [{ key: 'source', text: 'fs/direct-io.c', prio: 1 }] : []),
    { key: 'op', text: `· ${d.op}`, prio: 0 },
    { key: 'sync', text: d.async ? '· async' : '· sync', prio: 2 },
    { key: 'pins', text: d.pinned ? '· pins pages (FOLL_PIN)' : '· gets pages (FOLL_GET)', prio: 3 },
    { key: 'file', text: `${d.file} · ${d.task}`, prio: 4 },
  ];
}

/** The longest state line a dio can show ("fallback to buffered I/O · refcount 99"), reserved beside its name. */
const DIO_STATE_MAX = 38;
/** What of a dio's header always stays besides its name: the engine's short name and the direction. */
const DIO_KEPT_MAX = ' legacy · write'.length;

/**
 * Whether the dios' headers take one line or two in `width`: one when every dio's name, engine and direction fit
 * beside the longest state line, so the header never runs into its state and the rows below never move between
 * steps as the state changes.
 */
export function dioHeadRows(names: readonly string[], width: number, charW = CHAR_W): 1 | 2 {
  const name = Math.max(0, ...names.map((n) => n.length));
  return (name + DIO_KEPT_MAX + 2 + DIO_STATE_MAX) * charW + 20 <= width ? 1 : 2;
}

/**
 * Lays out the catalog's dios and bios (all of the run's, or the window the view draws: see window.ts).
 * `textScale` is how much wider the type is than the desk's (projector type), for the dio headers' lines.
 */
export function layoutBlockIo(snapshot: Snapshot, catalog: Pick<Catalog, 'bios' | 'dios' | 'folios'>, width = 640, textScale = 1): BlockIoLayout {
  // Looked up by id once: a late step of a long run has tens of thousands of bios.
  const dioById = new Map(snapshot.dios.map((d) => [d.id, d]));
  const bioById = new Map(snapshot.bios.map((b) => [b.id, b]));
  const dioRows = dioHeadRows(
    catalog.dios.map((d) => d.name),
    width,
    CHAR_W * textScale,
  );
  const dioH = DIO_H + (dioRows - 1) * DIO_LINE_H;
  const dios: DioLayout[] = catalog.dios.map((d, i) => ({ id: d.id, name: d.name, dio: dioById.get(d.id), y: i * dioH }));
  const lanesY = dios.length * dioH + (dios.length ? 6 : 0);
  const laneScale = scaleBand<Lane>().domain([...LANES]).range([0, width]).paddingInner(0.04);
  const lanes = LANES.map((lane) => ({ lane, x: laneScale(lane) ?? 0, w: laneScale.bandwidth() }));
  const barMax = Math.max(40, laneScale.bandwidth() - 10);
  const views = catalog.bios.map((b) => bioById.get(b.id));
  const maxBytes = scaleBytes(views);
  const bytes = scaleLinear().domain([0, maxBytes]).range([0, barMax]);
  const kindOf = new Map<number, FolioKind>();
  for (const f of catalog.folios) kindOf.set(f.id, f.kind);
  const dirtyOf = new Map<number, boolean>();
  for (const f of snapshot.folios) {
    kindOf.set(f.id, f.kind);
    dirtyOf.set(f.id, f.dirty);
  }

  const bioTop = lanesY + LANE_HEAD_H;
  const bios: BioLayout[] = catalog.bios.map((b, i) => {
    const bio = views[i];
    const lane = laneOf(bio);
    const statuses = bio ? bvecStatuses(bio, snapshot.folios) : [];
    const segments: SegmentLayout[] = [];
    let x = 0;
    for (const [k, v] of (bio?.bvecs ?? []).entries()) {
      const w = Math.max(MIN_SEG, bytes(v.len));
      segments.push({ index: k, bvec: v, kind: kindOf.get(v.folio), x, w, status: statuses[k] ?? 'held', dirty: bio && bio.op === 'read' ? (dirtyOf.get(v.folio) ?? false) : undefined });
      x += w;
    }
    const laneX = lanes.find((l) => l.lane === lane)!.x;
    return { id: b.id, name: b.name, bio, y: bioTop + i * BIO_H, lane, x: laneX + 4, w: Math.max(x, bio ? 0 : barMax), segments };
  });
  const height = bioTop + bios.length * BIO_H;
  return { width, dios, dioRows, dioH, lanesY, lanes, bios, maxBytes, height };
}

/** Legend item positions: each item as wide as its label. */
export function legendOffsets(labels: readonly string[], x0 = 4, charW = 5.6, pad = 24): number[] {
  const out: number[] = [];
  let x = x0;
  for (const l of labels) {
    out.push(x);
    x += pad + l.length * charW;
  }
  out.push(x);
  return out;
}

/** Legend items wrapped to `width`: each item's x and row; an item that would cross the right edge starts a row. */
export function legendRows(labels: readonly string[], width: number, x0 = 4, charW = 5.6, pad = 24): { items: { x: number; row: number }[]; rows: number } {
  const items: { x: number; row: number }[] = [];
  let x = x0;
  let row = 0;
  for (const l of labels) {
    const w = pad + l.length * charW;
    if (x > x0 && x + w - pad / 2 > width) {
      row += 1;
      x = x0;
    }
    items.push({ x, row });
    x += w;
  }
  return { items, rows: row + 1 };
}

/** `text` cut with an ellipsis to fit `px` (nothing when not even one character and the ellipsis fit). */
export function fitText(text: string, px: number, charW = CHAR_W): string {
  if (text.length * charW <= px) return text;
  const keep = Math.floor(px / charW) - 1;
  return keep >= 1 ? `${text.slice(0, keep)}…` : '';
}

/** Queue chips of a dio: d3 band scale over the queue slots (the legacy engine queues up to 64 pages). */
export function chipX(count: number, x0: number, maxW: number): (i: number) => number {
  const step = Math.min(CHIP + 3, count > 0 ? maxW / count : CHIP + 3);
  return (i) => x0 + i * step;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

/** A short label for a folio inside a segment or chip. */
export function shortFolio(kind: FolioKind | undefined, id: number): string {
  if (kind === 'zero') return 'zero';
  if (kind === 'hugezero') return 'huge0';
  return `F${id}`;
}

/** The kernel's name for the bio's state, as the view says it. */
export function stateText(bio: BioView | undefined): string {
  if (!bio) return 'not allocated yet';
  if (bio.state === 'completed' && bio.deferred) return 'deferred: bio_dirty_list';
  if (bio.state === 'submitted') return 'submitted (in flight)';
  return bio.state;
}
