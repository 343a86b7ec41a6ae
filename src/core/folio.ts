// Folios and their counters: refcount (with the holder that owns each reference), mapcounts, pincount.
// Every change to a refcount names its holder, so the refcount is always the sum of its holders' parts.
// Kernel: include/linux/mm.h (folio_get, folio_put, folio_maybe_dma_pinned), mm/gup.c (the pin bias).

import type { Sim } from './sim';
import type { Folio, FolioKind, Hold } from './state';
import { GUP_PIN_COUNTING_BIAS } from './state';
import { newFolio } from './init';
import { describeHolder, holder as holderOf } from './holders';

const INT32_MAX = 0x7fffffff;

export function folioOf(sim: Sim, id: number): Folio {
  const f = sim.state.folios.get(id);
  if (!f) throw new Error(`internal: no folio ${id}`);
  return f;
}

export function folioName(f: Folio): string {
  if (f.kind === 'zero') return 'the zero page';
  if (f.kind === 'hugezero') return 'the huge zero folio';
  return `F${f.id}`;
}

export function isLarge(f: Folio): boolean {
  return f.order > 0;
}

/** folio_has_pincount(): every large folio on 64-bit keeps an exact `_pincount`. */
export function hasPincount(f: Folio): boolean {
  return f.order > 0;
}

/** folio_mapcount(): small: `_mapcount + 1`; large: `_large_mapcount + 1`. */
export function mapcountOf(f: Folio): number {
  return isLarge(f) ? f.largeMapcount + 1 : f.mapcount[0]! + 1;
}

/** folio_maybe_dma_pinned(): exact for large folios, a refcount heuristic (unsigned compare) for small ones. */
export function maybeDmaPinned(f: Folio): boolean {
  if (hasPincount(f)) return f.pincount > 0;
  return f.refcount >>> 0 >= GUP_PIN_COUNTING_BIAS;
}

function toInt32(n: number): number {
  return n | 0;
}

/** Allocate a folio whose allocation reference goes straight to `holder`. */
export function allocFolio(sim: Sim, kind: FolioKind, order: number, holder: string, extra: Partial<Folio> = {}): Folio {
  const c = sim.state.counters;
  const id = c.folio;
  const pages = 1 << order;
  // Align large folios naturally and leave a one-page gap after each folio, so two folios are never
  // physically contiguous: bvec merging then happens only within a folio, as on a real, fragmented machine.
  const pfn = Math.ceil(c.pfn / pages) * pages;
  sim.journal.set(c, 'folio', id + 1);
  sim.journal.set(c, 'pfn', pfn + pages + 1);
  const folio = { ...newFolio(id, kind, order, pfn), ...extra };
  folio.refcount = 1;
  folio.holds.set(holder, { refs: 1, pins: 0 });
  folio.heldRefs = 1;
  sim.journal.insertNew(sim.state.folios, id, folio);
  sim.touched.add(id);
  sim.emit('alloc', () => ({
    text: `A new ${order > 0 ? `order-${order} ` : ''}${kind === 'file' ? 'page-cache' : kind} folio F${id} is allocated (pfn 0x${pfn.toString(16)}) with refcount 1, owned by ${describeHolder(holder)}.`,
    folio: id,
    holder,
    delta: 1,
  }));
  return folio;
}

function adjustHold(sim: Sim, f: Folio, holder: string, refs: number, pins: number): Hold {
  const prev = f.holds.get(holder) ?? { refs: 0, pins: 0 };
  const next = { refs: prev.refs + refs, pins: prev.pins + pins };
  if (next.refs === 0 && next.pins === 0) sim.journal.mapDelete(f.holds, holder);
  else sim.journal.mapSet(f.holds, holder, next);
  if (refs !== 0) sim.journal.set(f, 'heldRefs', f.heldRefs + refs);
  if (pins !== 0) sim.journal.set(f, 'heldPins', f.heldPins + pins);
  return prev;
}

function addToRefcount(sim: Sim, f: Folio, n: number): void {
  const raw = f.refcount + n;
  if (raw > INT32_MAX) {
    sim.find('refcount-wrap', `${folioName(f)}'s refcount wrapped past 2^31-1 to ${toInt32(raw)}: the 32-bit counter overflowed`, { folio: f.id });
  }
  sim.journal.set(f, 'refcount', toInt32(raw));
  sim.touched.add(f.id);
}

/** folio_get()/folio_ref_add(): `n` more references owned by `holder`. */
export function getRef(sim: Sim, f: Folio, holder: string, n = 1, why = ''): void {
  addToRefcount(sim, f, n);
  adjustHold(sim, f, holder, n, 0);
  sim.emit('ref', () => ({
    text: `${describeHolder(holder)} takes ${n === 1 ? 'a reference' : `${n} references`} on ${folioName(f)}${why ? ` ${why}` : ''}: refcount ${f.refcount - n} → ${f.refcount}.`,
    folio: f.id,
    holder,
    delta: n,
  }));
}

/** folio_put()/folio_put_refs(): `holder` drops `n` references; the folio is freed at zero. */
export function putRef(sim: Sim, f: Folio, holder: string, n = 1, why = ''): void {
  const held = f.holds.get(holder)?.refs ?? 0;
  if (held - (f.holds.get(holder)?.pins ?? 0) * pinWeight(f) < n) {
    sim.find('bad-release', `${describeHolder(holder)} puts ${n} reference(s) on ${folioName(f)} that it did not take`, { folio: f.id, holder });
  }
  addToRefcount(sim, f, -n);
  adjustHold(sim, f, holder, -n, 0);
  sim.emit('ref', () => ({
    text: `${describeHolder(holder)} drops ${n === 1 ? 'its reference' : `${n} references`} on ${folioName(f)}${why ? ` ${why}` : ''}: refcount ${f.refcount + n} → ${f.refcount}.`,
    folio: f.id,
    holder,
    delta: -n,
  }));
  if (f.refcount === 0) freeFolio(sim, f);
}

/** What one pin adds to the refcount: 1 on a large folio (plus `_pincount`), the 1024 bias on a small one. */
export function pinWeight(f: Folio): number {
  return hasPincount(f) ? 1 : GUP_PIN_COUNTING_BIAS;
}

/** The accounting half of try_grab_folio(FOLL_PIN) / folio_add_pin(): no policy checks here. */
export function addPin(sim: Sim, f: Folio, holder: string, pins: number): void {
  const refs = pins * pinWeight(f);
  addToRefcount(sim, f, refs);
  if (hasPincount(f)) sim.journal.set(f, 'pincount', f.pincount + pins);
  adjustHold(sim, f, holder, refs, pins);
  sim.emit('pin', () => ({
    text: hasPincount(f)
      ? `${describeHolder(holder)} pins ${pins} page(s) of ${folioName(f)}: refcount +${refs} → ${f.refcount}, _pincount +${pins} → ${f.pincount}.`
      : `${describeHolder(holder)} pins ${folioName(f)}: refcount +${refs} (${pins} × the 1024 pin bias) → ${f.refcount}.`,
    folio: f.id,
    holder,
    delta: refs,
  }));
}

/** The accounting half of gup_put_folio(FOLL_PIN): `holder` gives back `pins` pins. */
export function dropPin(sim: Sim, f: Folio, holder: string, pins: number): void {
  const refs = pins * pinWeight(f);
  const hold = f.holds.get(holder);
  if (!hold || hold.pins < pins) {
    sim.find('bad-release', `${describeHolder(holder)} unpins ${folioName(f)} but holds ${hold?.pins ?? 0} pin(s) on it, not ${pins}: the kernel subtracts ${refs} anyway`, {
      folio: f.id,
      holder,
    });
  }
  addToRefcount(sim, f, -refs);
  if (hasPincount(f)) sim.journal.set(f, 'pincount', f.pincount - pins);
  adjustHold(sim, f, holder, -refs, -pins);
  sim.emit('pin', () => ({
    text: hasPincount(f)
      ? `${describeHolder(holder)} unpins ${pins} page(s) of ${folioName(f)}: refcount −${refs} → ${f.refcount}, _pincount −${pins} → ${f.pincount}.`
      : `${describeHolder(holder)} unpins ${folioName(f)}: refcount −${refs} → ${f.refcount}.`,
    folio: f.id,
    holder,
    delta: -refs,
  }));
  if (f.refcount === 0) freeFolio(sim, f);
}

/** Ownership moves without a count change (a reference handed over, or orphaned as a leak). */
export function moveHold(sim: Sim, f: Folio, from: string, to: string, hold?: Hold): void {
  const h = hold ?? f.holds.get(from);
  if (!h || (h.refs === 0 && h.pins === 0)) return;
  adjustHold(sim, f, from, -h.refs, -h.pins);
  adjustHold(sim, f, to, h.refs, h.pins);
}

/** A holder disappears while it still owns references: they stay on the folio as a leak named after it. */
export function orphanHolds(sim: Sim, f: Folio, holder: string, reason: string): void {
  const h = f.holds.get(holder);
  if (!h) return;
  moveHold(sim, f, holder, holderOf.leak(holder), h);
  sim.find('leak', `${describeHolder(holder)} went away still holding ${h.refs} reference(s) on ${folioName(f)}: ${reason}`, { folio: f.id, holder });
  sim.emit('ref', () => ({
    text: `${describeHolder(holder)} is gone but its ${h.refs} reference(s) on ${folioName(f)} are never released (${reason}): a leak.`,
    folio: f.id,
    holder: holderOf.leak(holder),
    delta: 0,
  }));
}

function freeFolio(sim: Sim, f: Folio): void {
  if (f.kind === 'zero' || f.kind === 'hugezero' || f.reserved) return;
  sim.journal.set(f, 'freed', true);
  sim.journal.mapDelete(sim.state.folios, f.id);
  if (f.file !== undefined && f.index !== undefined) {
    const file = sim.state.files.get(f.file);
    if (file && file.cache.get(f.index) === f.id) sim.journal.mapDelete(file.cache, f.index);
  }
  sim.emit('free', () => ({ text: `${folioName(f)}'s refcount reached 0: it is freed back to the page allocator.`, folio: f.id }));
}

// ---- mapcounts -------------------------------------------------------------------------------------------

/** One more PTE maps page `page` of `f` (the mapping reference is taken separately). */
export function incPageMapcount(sim: Sim, f: Folio, page: number): void {
  sim.journal.setIndex(f.mapcount, page, f.mapcount[page]! + 1);
  if (isLarge(f)) sim.journal.set(f, 'largeMapcount', f.largeMapcount + 1);
  sim.touched.add(f.id);
}

export function decPageMapcount(sim: Sim, f: Folio, page: number): void {
  sim.journal.setIndex(f.mapcount, page, f.mapcount[page]! - 1);
  if (isLarge(f)) sim.journal.set(f, 'largeMapcount', f.largeMapcount - 1);
  sim.touched.add(f.id);
}

export function incEntireMapcount(sim: Sim, f: Folio, delta: number): void {
  sim.journal.set(f, 'entireMapcount', f.entireMapcount + delta);
  sim.journal.set(f, 'largeMapcount', f.largeMapcount + delta);
  sim.touched.add(f.id);
}

export function setExclusive(sim: Sim, f: Folio, page: number, exclusive: boolean): void {
  // Before v5.19 there is no PageAnonExclusive to set or clear.
  if (sim.policy['anon-exclusive'] === 'no') return;
  const pages = page < 0 ? Array.from({ length: 1 << f.order }, (_, i) => i) : [page];
  let changed = false;
  for (const p of pages) {
    if ((f.anonExclusive[p] === 1) !== exclusive) {
      sim.journal.setIndex(f.anonExclusive, p, exclusive ? 1 : 0);
      changed = true;
    }
  }
  if (changed) {
    sim.emit('flag', () => ({
      text: `${folioName(f)}${page >= 0 && isLarge(f) ? ` page ${page}` : ''} is ${exclusive ? 'now marked PageAnonExclusive' : 'no longer PageAnonExclusive (it may be shared)'}.`,
      folio: f.id,
    }));
  }
}

export function setDirty(sim: Sim, f: Folio, dirty: boolean, why: string): void {
  if (f.dirty === dirty) return;
  sim.journal.set(f, 'dirty', dirty);
  sim.emit('flag', () => ({ text: `${folioName(f)} is marked ${dirty ? 'dirty' : 'clean'} ${why}.`, folio: f.id }));
}

// ---- holders ---------------------------------------------------------------------------------------------

// Holder keys are built, parsed and described in holders.ts; these names stay exported from here too.
export { describeHolder, holderKind } from './holders';
