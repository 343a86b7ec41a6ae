// Which dios and bios the block I/O view draws. A small run draws every one it ever made (each keeps its row
// for the whole run); a big one draws only a window: the bios still at work at this step (building, in
// flight, completed but not released), the latest bio holding the selected folio, the latest bio made, a few
// bios either side of those, and the dios they belong to. The rest are counted in a summary line. Pure.

import type { BioView, Catalog, Snapshot } from '../../core';

/** Runs with at most this many bios (and dios) draw them all. */
export const DRAW_ALL_UP_TO = 24;
/** Bios drawn either side of each bio the window is built around. */
export const AROUND = 2;
/** At most this many bios at work are drawn (the others are counted); the window's size is bounded by it. */
export const MAX_ANCHORS = 12;
/** What "show earlier" adds each time. */
export const EARLIER_STEP = 25;

type Entry = Catalog['bios'][number];

export interface BlockIoWindow {
  /** Every bio and dio is drawn (a small run). */
  all: boolean;
  bios: Entry[];
  dios: Catalog['dios'];
  /** Bios of the catalog before the first drawn one, between drawn ones, and after the last. */
  earlier: number;
  between: number;
  later: number;
  /** Of the earlier ones, how many have been released (the rest are not yet made or still at work). */
  earlierReleased: number;
  /** Bios at work that are not drawn (beyond MAX_ANCHORS). */
  atWorkHidden: number;
  /** Dios not drawn. */
  diosHidden: number;
}

function atWork(b: BioView): boolean {
  return b.state !== 'released';
}

/**
 * The window at `snapshot`. `earlierShown` widens it towards the start of the run by that many bios (the
 * reader's "show earlier").
 */
export function blockIoWindow(snapshot: Snapshot, catalog: Pick<Catalog, 'bios' | 'dios'>, selectedFolio: number | null, earlierShown = 0): BlockIoWindow {
  const total = catalog.bios.length;
  if (total <= DRAW_ALL_UP_TO && catalog.dios.length <= DRAW_ALL_UP_TO) {
    return { all: true, bios: catalog.bios, dios: catalog.dios, earlier: 0, between: 0, later: 0, earlierReleased: 0, atWorkHidden: 0, diosHidden: 0 };
  }
  const indexOf = new Map<number, number>();
  catalog.bios.forEach((b, i) => indexOf.set(b.id, i));
  const anchors = new Set<number>();
  let atWorkCount = 0;
  let latest = -1;
  let latestSelected = -1;
  for (const b of snapshot.bios) {
    const i = indexOf.get(b.id);
    if (i === undefined) continue;
    latest = Math.max(latest, i);
    if (atWork(b)) {
      atWorkCount++;
      if (anchors.size < MAX_ANCHORS) anchors.add(i);
    }
    if (selectedFolio !== null && b.bvecs.some((v) => v.folio === selectedFolio)) latestSelected = Math.max(latestSelected, i);
  }
  const atWorkHidden = atWorkCount - anchors.size;
  if (latest >= 0) anchors.add(latest);
  if (latestSelected >= 0) anchors.add(latestSelected);
  // Before the first bio: the first ones the run will make.
  if (anchors.size === 0 && total > 0) anchors.add(0);
  const drawn = new Set<number>();
  for (const a of anchors) for (let i = Math.max(0, a - AROUND); i <= Math.min(total - 1, a + AROUND); i++) drawn.add(i);
  const sorted = [...drawn].sort((x, y) => x - y);
  const first = sorted[0] ?? 0;
  for (let i = Math.max(0, first - earlierShown); i < first; i++) drawn.add(i);
  const indices = [...drawn].sort((x, y) => x - y);
  const lo = indices[0] ?? 0;
  const hi = indices.at(-1) ?? -1;
  const bios = indices.map((i) => catalog.bios[i]!);

  const viewOf = new Map<number, BioView>();
  for (const b of snapshot.bios) viewOf.set(b.id, b);
  let earlierReleased = 0;
  for (let i = 0; i < lo; i++) if (viewOf.get(catalog.bios[i]!.id)?.state === 'released') earlierReleased++;

  // The dios of the drawn bios, and those still running.
  const dioNames = new Set<string>();
  for (const e of bios) {
    const d = viewOf.get(e.id)?.dio;
    if (d !== undefined) dioNames.add(d);
  }
  let running = 0;
  for (const d of snapshot.dios) {
    if (d.state === 'done' || d.state === 'fallback') continue;
    if (running++ < MAX_ANCHORS) dioNames.add(d.name);
  }
  // Before any dio ran: the first one.
  if (dioNames.size === 0 && catalog.dios.length > 0) dioNames.add(catalog.dios[0]!.name);
  const dios = catalog.dios.filter((d) => dioNames.has(d.name));
  return {
    all: false,
    bios,
    dios,
    earlier: lo,
    between: hi - lo + 1 - indices.length,
    later: total - 1 - hi,
    earlierReleased,
    atWorkHidden,
    diosHidden: catalog.dios.length - dios.length,
  };
}

/** The summary line of a window ("1,234 earlier bios (all released) · 5 later"), or '' when all are drawn. */
export function windowSummary(w: BlockIoWindow): string {
  if (w.all) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  const parts: string[] = [];
  if (w.earlier > 0) parts.push(`${n(w.earlier)} earlier bio${w.earlier === 1 ? '' : 's'}${w.earlierReleased === w.earlier ? ' (completed and released)' : ` (${n(w.earlierReleased)} released)`}`);
  if (w.between > 0) parts.push(`${n(w.between)} between`);
  if (w.atWorkHidden > 0) parts.push(`${n(w.atWorkHidden)} more at work`);
  if (w.later > 0) parts.push(`${n(w.later)} later`);
  if (w.diosHidden > 0) parts.push(`${n(w.diosHidden)} other dio${w.diosHidden === 1 ? '' : 's'}`);
  return `Showing ${n(w.bios.length)} bio${w.bios.length === 1 ? '' : 's'} around this step · ${parts.join(' · ')}`;
}
