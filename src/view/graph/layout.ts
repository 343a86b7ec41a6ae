// The refcount graph's layout: holders on the left (grouped by kind), folios on the right, one edge per
// (holder, folio) pair weighted by the references it contributes. Slots come from the run's catalog, so a
// holder or a folio keeps its place from step to step; what changes is which slots are lit and which edges
// exist. For very large runs (thousands of folios or holders) the graph narrows to the folios in focus.

import { linkHorizontal } from 'd3-shape';
import { scaleLog } from 'd3-scale';
import type { Catalog, CatalogFolio, CatalogHolder, FolioView, Snapshot } from '../../core';
import { GUP_PIN_COUNTING_BIAS, holder, holderClass, kindsOfClass, shortHolderLabel, type HolderClass } from '../../core';
import { formatCount } from '../common/palette';
import { aggregatePairs, bundleLabel, type DrawnPair, type HolderPair } from './aggregate';

export interface HolderGroup {
  id: string;
  label: string;
  kinds: readonly string[];
}

/** Holder groups, top to bottom. Leaked references sit in their own group at the bottom, in red. */
export const HOLDER_GROUPS: readonly HolderGroup[] = [
  { id: 'map', label: 'PTE / PMD mappings', kinds: kindsOfClass('map') },
  { id: 'cache', label: 'page cache', kinds: kindsOfClass('cache') },
  { id: 'gup', label: 'GUP handles', kinds: kindsOfClass('gup') },
  { id: 'bio', label: 'bios', kinds: kindsOfClass('bio') },
  { id: 'dio', label: 'dio queue / current page', kinds: kindsOfClass('dio') },
  { id: 'vfio', label: 'vfio', kinds: kindsOfClass('vfio') },
  { id: 'pipe', label: 'pipes', kinds: kindsOfClass('pipe') },
  { id: 'kernel', label: 'kernel', kinds: kindsOfClass('kernel') },
  { id: 'leak', label: 'leaked: owner gone', kinds: kindsOfClass('leak') },
  { id: 'other', label: 'other', kinds: [] },
] satisfies readonly (HolderGroup & { id: HolderClass })[];

export function groupOf(kind: string): string {
  return holderClass(kind);
}

/** Vertical metrics. */
export const TOP = 6;
export const GROUP_HEAD = 17;
export const HOLDER_ROW = 19;
export const GROUP_GAP = 6;
export const FOLIO_H = 56;
export const FOLIO_GAP = 8;
/** An edge label's height (10-unit type and its leading): labels closer than this would overlap. */
export const EDGE_LABEL_H = 12;
/** Above these, the graph shows only the folios in focus (and the holders holding them). */
export const MAX_FOLIO_SLOTS = 40;
export const MAX_HOLDER_SLOTS = 160;
/** Folios the focus view shows at most. */
export const FOCUS_FOLIOS = 12;

// Short labels and leak owners come from the core's holder module, like every other reading of a key.
export { leakOwner, shortHolderLabel } from '../../core';

// ---- slots (per run) ------------------------------------------------------------------------------------

export interface HolderSlot {
  key: string;
  kind: string;
  group: string;
  short: string;
  label: string;
  /** Centre of the row. */
  y: number;
}

export interface GroupSlot {
  id: string;
  label: string;
  /** Top of the header. */
  y: number;
  count: number;
}

export interface FolioSlot {
  id: number;
  folio: CatalogFolio;
  /** Top of the node. */
  y: number;
}

export interface GraphSlots {
  holders: HolderSlot[];
  groups: GroupSlot[];
  folios: FolioSlot[];
  height: number;
}

/**
 * Slots for every holder (grouped, in catalog order within a group) and every folio (by id). The folio column
 * is centred against the holder column, so both depend only on the lists given, never on the step.
 */
export function graphSlots(folios: readonly CatalogFolio[], holders: readonly CatalogHolder[]): GraphSlots {
  const byGroup = new Map<string, CatalogHolder[]>();
  for (const h of holders) {
    const g = groupOf(h.kind);
    const list = byGroup.get(g) ?? [];
    list.push(h);
    byGroup.set(g, list);
  }
  // The kernel's own references (the reserved zero page, the huge zero folio) go to the folios at the top
  // of the folio column: the kernel group goes first and in its folios' order, so its edges never cross.
  const folioIndex = (h: CatalogHolder) => kernelHolderFolio(h.key, folios);
  const kernel = byGroup.get('kernel');
  kernel?.sort((a, b) => (folioIndex(a) ?? Infinity) - (folioIndex(b) ?? Infinity));
  const kernelOnTop = !!kernel?.length && kernel.every((h) => (folioIndex(h) ?? Infinity) < kernel.length);
  const order = kernelOnTop ? [...HOLDER_GROUPS.filter((g) => g.id === 'kernel'), ...HOLDER_GROUPS.filter((g) => g.id !== 'kernel')] : HOLDER_GROUPS;
  const hs: HolderSlot[] = [];
  const groups: GroupSlot[] = [];
  let y = TOP;
  for (const g of order) {
    const list = byGroup.get(g.id);
    if (!list?.length) continue;
    groups.push({ id: g.id, label: g.label, y, count: list.length });
    y += GROUP_HEAD;
    for (const h of list) {
      // On top, a kernel holder's row is level with its folio (the folio column is then not centred).
      const fi = g.id === 'kernel' && kernelOnTop ? folioIndex(h) : undefined;
      const level = fi === undefined ? 0 : TOP + fi * (FOLIO_H + FOLIO_GAP) + FOLIO_H / 2;
      const centre = Math.max(y + HOLDER_ROW / 2, level);
      hs.push({ key: h.key, kind: h.kind, group: g.id, short: shortHolderLabel(h.key), label: h.label, y: centre });
      y = centre + HOLDER_ROW / 2;
    }
    y += GROUP_GAP;
  }
  const holdersH = y;
  const foliosH = TOP + folios.length * (FOLIO_H + FOLIO_GAP);
  const offset = kernelOnTop ? 0 : Math.max(0, (holdersH - foliosH) / 2);
  const fs = folios.map((folio, i) => ({ id: folio.id, folio, y: TOP + offset + i * (FOLIO_H + FOLIO_GAP) }));
  return { holders: hs, groups, folios: fs, height: Math.ceil(Math.max(holdersH, foliosH) + TOP) };
}

/**
 * The slots spread over a taller panel: every node's centre moves down in proportion (at most `most` times),
 * the nodes keep their size, so a graph with few nodes uses the panel's height instead of its top half. Centres
 * that were level (a kernel holder and its folio) stay level; nodes that did not overlap do not; nothing moves
 * past the new height. A panel shorter than the slots changes nothing (the graph scrolls).
 */
export function stretchSlots(slots: GraphSlots, height: number, most = 3): GraphSlots {
  const k = Math.min(most, height / slots.height);
  if (!(k > 1.02)) return slots;
  const at = (top: number, h: number) => Math.round(((top + h / 2) * k - h / 2) * 10) / 10;
  return {
    holders: slots.holders.map((h) => ({ ...h, y: Math.round(h.y * k * 10) / 10 })),
    groups: slots.groups.map((g) => ({ ...g, y: at(g.y, GROUP_HEAD) })),
    folios: slots.folios.map((f) => ({ ...f, y: at(f.y, FOLIO_H) })),
    height: Math.floor(slots.height * k),
  };
}

/** The folio slot a kernel holder's reference is on (the zero page's, the huge zero folio's), if known. */
export function kernelHolderFolio(key: string, folios: readonly CatalogFolio[]): number | undefined {
  const kind = key === 'kernel:zero-page' ? 'zero' : key === 'kernel:huge-zero' ? 'hugezero' : undefined;
  if (!kind) return undefined;
  const i = folios.findIndex((f) => f.kind === kind);
  return i < 0 ? undefined : i;
}

const slotCache = new WeakMap<object, GraphSlots>();

/** Slots for a whole run (cached per catalog). */
export function catalogSlots(catalog: Pick<Catalog, 'folios' | 'holders'>): GraphSlots {
  const hit = slotCache.get(catalog);
  if (hit) return hit;
  const slots = graphSlots(catalog.folios, catalog.holders);
  slotCache.set(catalog, slots);
  return slots;
}

/**
 * Slots for a whole run, plus any holder the snapshot shows that the catalog missed (so no reference is ever
 * left without its edge); with a complete catalog this is exactly `catalogSlots`.
 */
export function runSlots(catalog: Pick<Catalog, 'folios' | 'holders'>, snapshot: Snapshot): GraphSlots {
  const slots = catalogSlots(catalog);
  const known = new Set(slots.holders.map((h) => h.key));
  const extra = new Map<string, CatalogHolder>();
  for (const f of snapshot.folios) for (const h of f.holders) if (!known.has(h.key)) extra.set(h.key, { key: h.key, kind: h.kind, label: h.label });
  if (extra.size === 0) return slots;
  const merged = [...catalog.holders, ...extra.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return graphSlots(catalog.folios, merged);
}

/** Whether a run is too big to draw every slot. */
export function needsFocus(catalog: Pick<Catalog, 'folios' | 'holders'>): boolean {
  return catalog.folios.length > MAX_FOLIO_SLOTS || catalog.holders.length > MAX_HOLDER_SLOTS;
}

const BORING = new Set(['map', 'pmd', 'kernel', 'cache']);

/**
 * The folios in focus at a step for a large run: the zero pages, the selected folio, the current event's
 * folio, and folios with an interesting holder (a pin, a bio, a dio, vfio, a pipe, a leak), in id order.
 */
export function focusFolios(catalog: Pick<Catalog, 'folios'>, snapshot: Snapshot, selected: number | null, limit = FOCUS_FOLIOS): CatalogFolio[] {
  const want = new Set<number>();
  const must = [snapshot.zeroFolio, snapshot.hugeZeroFolio, selected, snapshot.event?.folio];
  for (const id of must) if (id != null && id > 0) want.add(id);
  for (const f of snapshot.folios) {
    if (want.size >= limit) break;
    if (f.holders.some((h) => !BORING.has(h.kind))) want.add(f.id);
  }
  const out: CatalogFolio[] = [];
  for (const id of [...want].sort((a, b) => a - b)) {
    const c = findById(catalog.folios, id);
    if (c) out.push(c);
  }
  return out.slice(0, Math.max(limit, must.filter((x) => x != null).length));
}

function findById<T extends { id: number }>(list: readonly T[], id: number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v.id === id) return v;
    if (v.id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Slots for the focus view: the focus folios and the holders that hold them now, in catalog order. */
export function focusSlots(catalog: Pick<Catalog, 'folios' | 'holders'>, snapshot: Snapshot, selected: number | null): { slots: GraphSlots; shown: number } {
  const folios = focusFolios(catalog, snapshot, selected);
  const keys = new Set<string>();
  for (const f of folios) {
    const v = findById(snapshot.folios, f.id);
    for (const h of v?.holders ?? []) if (keys.size < MAX_HOLDER_SLOTS) keys.add(h.key);
  }
  const holders = catalog.holders.filter((h) => keys.has(h.key));
  return { slots: graphSlots(folios, holders), shown: folios.length };
}

// ---- geometry (per width) -------------------------------------------------------------------------------

export interface GraphGeometry {
  width: number;
  holderX: number;
  holderW: number;
  folioX: number;
  folioW: number;
  /** A holder label character's advance (the desk's HOLDER_CHAR_W, more for projector type). */
  charW: number;
}

/** Average advance of a holder label's character (the 10-unit sans type), and the label's inset in its row. */
export const HOLDER_CHAR_W = 6.7;
export const HOLDER_TEXT_INSET = 18;
/** Room left between the columns for the edges. */
const EDGE_ROOM = 40;

/** The characters of a holder label that fit a holder column `holderW` wide. */
export function holderChars(holderW: number, charW = HOLDER_CHAR_W): number {
  return Math.floor((holderW - HOLDER_TEXT_INSET) / charW);
}

/**
 * A holder label in the lines it is drawn on: one when it fits `chars`, else two, broken at the space that
 * makes the longer line shortest; a line still too long (one long word) is cut with an ellipsis.
 */
export function holderLines(text: string, chars: number): string[] {
  if (text.length <= chars) return [text];
  let best: [string, string] | null = null;
  for (let i = text.indexOf(' '); i > 0; i = text.indexOf(' ', i + 1)) {
    const pair: [string, string] = [text.slice(0, i), text.slice(i + 1)];
    if (!best || Math.max(...pair.map((l) => l.length)) < Math.max(...best.map((l) => l.length))) best = pair;
  }
  const cut = (line: string) => (line.length <= chars ? line : `${line.slice(0, Math.max(1, chars - 1))}…`);
  return best ? best.map(cut) : [cut(text)];
}

/** A holder row's extra height for a second line of label. */
export const HOLDER_LINE = 13;

/**
 * Slots with room under each holder whose label takes two lines at `chars` characters: the rows below (and
 * their group headers) move down by a line, the folio column stays, the picture grows.
 */
export function roomForWrappedLabels(slots: GraphSlots, chars: number): GraphSlots {
  const wraps = (h: HolderSlot) => h.short.length > chars;
  if (!slots.holders.some(wraps)) return slots;
  // Everything below a wrapped row moves down a line; the row's own centre half a line.
  const shiftAbove = (y: number) => slots.holders.filter((h) => h.y < y && wraps(h)).length * HOLDER_LINE;
  const holders = slots.holders.map((h) => ({ ...h, y: h.y + shiftAbove(h.y) + (wraps(h) ? HOLDER_LINE / 2 : 0) }));
  const groups = slots.groups.map((g) => ({ ...g, y: g.y + shiftAbove(g.y) }));
  const grown = slots.holders.filter(wraps).length * HOLDER_LINE;
  return { holders, groups, folios: slots.folios, height: Math.ceil(slots.height + grown) };
}

/** The narrowest the graph is laid out (a narrower panel scrolls, or on a projector draws it smaller). */
export const GRAPH_MIN_WIDTH = 360;

/** Column geometry: the holder column is as wide as its longest label (`labelChars`) needs, room permitting. */
export function graphGeometry(width: number, labelChars = 0, charW = HOLDER_CHAR_W): GraphGeometry {
  const w = Math.max(GRAPH_MIN_WIDTH, Math.floor(width));
  const folioW = Math.round(Math.min(250, Math.max(170, w * 0.32)));
  // A label longer than the room goes onto two lines (roomForWrappedLabels makes the rows for them).
  const need = Math.ceil(HOLDER_TEXT_INSET + labelChars * charW) + 1;
  const most = w - folioW - 18 - EDGE_ROOM;
  const base = Math.min(230, Math.max(136, w * 0.3));
  const holderW = Math.round(Math.min(most, Math.max(base, need)));
  return { width: w, holderX: 8, holderW, folioX: w - folioW - 10, folioW, charW };
}

/** Edge width: a log scale of the references it carries (1 → thin, the 1024 bias → thick). */
export const edgeWidth = scaleLog()
  .domain([1, 2 ** 21])
  .range([1.4, 12])
  .clamp(true);

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>()
  .source((d) => d.source)
  .target((d) => d.target);

/** The edge label: `×1`, `1024` for a pin on a small folio, `×3 +3 pin` for pins on a large one. */
export function edgeLabel(refs: number, pins: number, large: boolean): string {
  if (large) return pins > 0 ? `×${refs} +${pins} pin` : `×${refs}`;
  if (pins <= 0) return `×${refs}`;
  const plain = refs - pins * GUP_PIN_COUNTING_BIAS;
  const pinPart = pins === 1 ? String(GUP_PIN_COUNTING_BIAS) : `${pins}×${GUP_PIN_COUNTING_BIAS}`;
  if (plain === 0) return pinPart;
  return plain > 0 ? `×${plain} + ${pinPart}` : `${pinPart} − ${-plain}`;
}

// ---- the picture at a step ------------------------------------------------------------------------------

export type FolioState = 'alive' | 'freed' | 'unborn';

export interface HolderNode extends HolderSlot {
  active: boolean;
  /** References this holder has on all folios now. */
  refs: number;
  leaked: boolean;
  current: boolean;
}

export interface SumTerm {
  refs: number;
  kind: string;
  leaked: boolean;
  holder: string;
}

export interface FolioNode extends FolioSlot {
  state: FolioState;
  view?: FolioView;
  /** The refcount as a sum: one term per edge, in port order (top to bottom). */
  terms: SumTerm[];
  current: boolean;
  selected: boolean;
}

export interface GraphEdge {
  key: string;
  holder: string;
  folio: number;
  kind: string;
  refs: number;
  pins: number;
  leaked: boolean;
  label: string;
  d: string;
  width: number;
  sx: number;
  sy: number;
  tx: number;
  ty: number;
  current: boolean;
  /** Touches the selected folio (or nothing is selected). */
  lit: boolean;
  /** Holders the edge stands for: more than one when a class's holders on the folio are bundled (aggregate.ts). */
  holders: number;
}

export interface GraphPicture {
  groups: GroupSlot[];
  holders: HolderNode[];
  folios: FolioNode[];
  edges: GraphEdge[];
  height: number;
}

export interface GraphOptions {
  selected: number | null;
  /** Whether a folio absent from the snapshot had been allocated by this step (freed) or not (not yet). */
  born(id: number): boolean;
}

/** Spread `k` ports around `center`, at most `step` apart, within `room` pixels. */
export function ports(k: number, center: number, room: number, step: number): number[] {
  if (k <= 0) return [];
  const gap = k === 1 ? 0 : Math.min(step, room / (k - 1));
  return Array.from({ length: k }, (_, i) => center + (i - (k - 1) / 2) * gap);
}

/** The holder the current event acts for: named by the event, or the bio a bio event builds or completes. */
export function eventHolder(snapshot: Snapshot): string | undefined {
  const e = snapshot.event;
  if (!e) return undefined;
  if (e.holder !== undefined) return e.holder;
  if (e.bio !== undefined && e.folio !== undefined) {
    const bio = snapshot.bios.find((b) => b.id === e.bio);
    if (bio) return holder.bio(bio);
  }
  return undefined;
}

export function graphAt(slots: GraphSlots, geo: GraphGeometry, snapshot: Snapshot, opts: GraphOptions): GraphPicture {
  const holderIndex = new Map(slots.holders.map((h, i) => [h.key, i]));
  const event = snapshot.event;
  const actor = eventHolder(snapshot);
  const pairs: HolderPair[] = [];
  // Holders without a slot (a focus view keeps at most MAX_HOLDER_SLOTS) still count in a bundle of their class.
  const unslotted: HolderPair[] = [];
  const heldBy = new Float64Array(slots.holders.length);
  const leakedBy = new Uint8Array(slots.holders.length);
  const folios: FolioNode[] = slots.folios.map((slot, fi) => {
    const view = findById(snapshot.folios, slot.id);
    const state: FolioState = view ? 'alive' : opts.born(slot.id) ? 'freed' : 'unborn';
    if (view) {
      for (const h of view.holders) {
        const hi = holderIndex.get(h.key);
        if (h.refs === 0 && h.pins === 0) continue;
        if (hi === undefined) {
          unslotted.push({ h: -1, f: fi, refs: h.refs, pins: h.pins, leaked: h.leaked, kind: h.kind, key: h.key, large: view.order > 0 });
          continue;
        }
        heldBy[hi] = heldBy[hi]! + h.refs;
        if (h.leaked) leakedBy[hi] = 1;
        pairs.push({ h: hi, f: fi, refs: h.refs, pins: h.pins, leaked: h.leaked, kind: h.kind, key: h.key, large: view.order > 0 });
      }
    }
    return {
      ...slot,
      state,
      ...(view ? { view } : {}),
      terms: [],
      current: event?.folio === slot.id,
      selected: opts.selected === slot.id,
    };
  });
  // The sum on each folio keeps one term per holder; the edges bundle a crowd of one class into one.
  const termsOf = new Map<number, HolderPair[]>();
  for (const p of pairs) (termsOf.get(p.f) ?? termsOf.set(p.f, []).get(p.f)!).push(p);
  const groupIds = new Set(slots.groups.map((g) => g.id));
  // Unslotted holders are drawn only inside a bundle, and a bundle only from a group the picture has.
  const drawn = aggregatePairs([...pairs, ...unslotted], groupOf).filter((p) => (p.group === undefined ? p.h >= 0 : groupIds.has(p.group)));
  // Ports: at each folio, edges in the order of their holders (no crossings at the node); at each holder (or
  // group, for a bundle), edges in the order of their folios.
  const byFolio = new Map<number, DrawnPair[]>();
  const byHolder = new Map<number, DrawnPair[]>();
  const byGroup = new Map<string, DrawnPair[]>();
  for (const p of drawn) {
    (byFolio.get(p.f) ?? byFolio.set(p.f, []).get(p.f)!).push(p);
    if (p.group === undefined) (byHolder.get(p.h) ?? byHolder.set(p.h, []).get(p.h)!).push(p);
    else (byGroup.get(p.group) ?? byGroup.set(p.group, []).get(p.group)!).push(p);
  }
  const targetY = new Map<DrawnPair, number>();
  const sourceY = new Map<DrawnPair, number>();
  const labelled = new Set<DrawnPair>();
  for (const [fi, list] of byFolio) {
    list.sort((a, b) => a.h - b.h);
    const node = folios[fi]!;
    const ys = ports(list.length, node.y + FOLIO_H / 2, FOLIO_H - 12, 14);
    list.forEach((p, i) => targetY.set(p, ys[i]!));
    // A label sits above its port; ports closer than a label's height keep every other label (the folio's sum
    // lists every term), so no two labels overlap.
    let last = -Infinity;
    list.forEach((p, i) => {
      if (ys[i]! - last >= EDGE_LABEL_H) {
        labelled.add(p);
        last = ys[i]!;
      }
    });
    node.terms = (termsOf.get(fi) ?? []).sort((a, b) => a.h - b.h).map((p) => ({ refs: p.refs, kind: p.kind, leaked: p.leaked, holder: p.key }));
  }
  for (const [hi, list] of byHolder) {
    list.sort((a, b) => a.f - b.f);
    const ys = ports(list.length, slots.holders[hi]!.y, HOLDER_ROW - 8, 4);
    list.forEach((p, i) => sourceY.set(p, ys[i]!));
  }
  // A bundle leaves from its group's header.
  for (const [group, list] of byGroup) {
    list.sort((a, b) => a.f - b.f);
    const head = slots.groups.find((g) => g.id === group);
    const centre = head ? head.y + GROUP_HEAD / 2 : TOP;
    const ys = ports(list.length, centre, GROUP_HEAD - 6, 4);
    list.forEach((p, i) => sourceY.set(p, ys[i]!));
  }
  const sx = geo.holderX + geo.holderW;
  const tx = geo.folioX;
  const edges: GraphEdge[] = drawn.map((p) => {
    const sy = sourceY.get(p)!;
    const ty = targetY.get(p)!;
    const folio = folios[p.f]!;
    const key = `${p.key}→${folio.id}`;
    return {
      key,
      holder: p.group === undefined ? p.key : `${p.holders} × ${HOLDER_GROUPS.find((g) => g.id === p.group)?.label ?? p.group}`,
      folio: folio.id,
      kind: p.kind,
      refs: p.refs,
      pins: p.pins,
      leaked: p.leaked,
      label: labelled.has(p) ? (p.holders > 1 ? bundleLabel(p.holders, p.refs) : edgeLabel(p.refs, p.pins, p.large)) : '',
      d: link({ source: [sx, round1(sy)], target: [tx, round1(ty)] }) ?? '',
      width: round1(edgeWidth(Math.max(1, p.refs))),
      sx,
      sy,
      tx,
      ty,
      current: event?.folio === folio.id && actor !== undefined && p.members.includes(actor),
      lit: opts.selected === null || opts.selected === folio.id,
      holders: p.holders,
    };
  });
  const holding = new Set(pairs.map((p) => p.h));
  const holders: HolderNode[] = slots.holders.map((slot, i) => ({
    ...slot,
    active: heldBy[i]! > 0 || holding.has(i),
    refs: heldBy[i]!,
    leaked: leakedBy[i] === 1 || slot.kind === 'leak',
    current: actor !== undefined && actor === slot.key,
  }));
  return { groups: slots.groups, holders, folios, edges, height: slots.height };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface SumParts {
  terms: { text: string; kind: string; leaked: boolean }[];
  /** Terms left out of a long sum. */
  hidden: number;
}

/** The terms of `1 + 1024 + 1024` that fit in `maxChars` (the total is shown after them). */
export function sumParts(terms: readonly SumTerm[], maxChars: number): SumParts {
  const texts = terms.map((t) => ({ text: formatCount(t.refs), kind: t.kind, leaked: t.leaked }));
  const full = texts.reduce((n, t, i) => n + t.text.length + (i ? 3 : 0), 0);
  if (full <= maxChars) return { terms: texts, hidden: 0 };
  let len = 0;
  const out: SumParts['terms'] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    const extra = (out.length ? 3 : 0) + t.text.length;
    const remaining = texts.length - i - 1;
    if (len + extra + (remaining > 0 ? 9 : 0) > maxChars && out.length > 0) {
      return { terms: out, hidden: texts.length - out.length };
    }
    out.push(t);
    len += extra;
  }
  return { terms: out, hidden: 0 };
}
