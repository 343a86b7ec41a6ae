// Kernel invariants checked after every event (or every statement inside a muted repeat span).
// A violation is reported as a finding with its step; the simulator never throws for one.

import type { Sim } from './sim';
import type { Folio } from './state';
import { folioName, hasPincount } from './folio';
import { displayName, stalePins } from './handles';
import { hex } from './mm';
import { holder, isLeak } from './holders';

/** Kernel invariants over folios and pins, each mismatch reported once until it changes. */
export class InvariantChecker {
  /**
   * Mismatches already reported, per check and folio. A folio that is fine has no entry (most of them, in a
   * big run): only mismatches are kept.
   */
  private reported = { ref: new Map<number, string>(), neg: new Map<number, string>(), pin: new Map<number, string>() };
  private staleReported = new Set<string>();
  private pageTableWritesSeen = 0;

  checkTouched(sim: Sim): void {
    for (const id of sim.touched) {
      const f = sim.state.folios.get(id);
      if (f) this.checkFolio(sim, f);
    }
    sim.touched.clear();
  }

  private once(check: 'ref' | 'neg' | 'pin', folio: number, signature: string, report: () => void): void {
    const reported = this.reported[check];
    if (signature === 'ok') {
      reported.delete(folio);
      return;
    }
    if (reported.get(folio) === signature) return;
    reported.set(folio, signature);
    report();
  }

  checkFolio(sim: Sim, f: Folio): void {
    const refs = f.heldRefs;
    const pins = f.heldPins;
    // Holder sums are kept as exact integers; the refcount wraps at 32 bits.
    const expected = refs | 0;
    this.once('ref', f.id, f.refcount === expected ? 'ok' : `${f.refcount}/${expected}`, () =>
      sim.find('refcount-mismatch', `${folioName(f)}: refcount ${f.refcount} is not the sum of its holders (${expected})`, { folio: f.id }),
    );
    const negative = f.pincount < 0 || f.largeMapcount < -1 || f.entireMapcount < -1 || f.mapcount.some((m) => m < -1);
    this.once('neg', f.id, negative ? `${f.pincount}/${f.largeMapcount}/${f.entireMapcount}` : 'ok', () =>
      sim.find('negative-count', `${folioName(f)}: a mapcount or pincount went negative (pincount ${f.pincount})`, { folio: f.id }),
    );
    if (hasPincount(f)) {
      this.once('pin', f.id, f.pincount === pins ? 'ok' : `${f.pincount}/${pins}`, () =>
        sim.find('refcount-mismatch', `${folioName(f)}: _pincount ${f.pincount} does not match the pins its holders took (${pins})`, { folio: f.id }),
      );
    }
  }

  checkStalePins(sim: Sim): void {
    // A pin turns stale only when the page tables change under it.
    if (sim.pageTableWrites === this.pageTableWritesSeen) return;
    this.pageTableWritesSeen = sim.pageTableWrites;
    for (const s of stalePins(sim)) {
      const key = `${s.handle.name}@${s.page.va}`;
      if (this.staleReported.has(key)) continue;
      this.staleReported.add(key);
      const pinned = sim.state.folios.get(s.page.folio);
      sim.find('stale-pin', `${displayName(s.handle)} pinned ${pinned ? folioName(pinned) : `F${s.page.folio}`} at ${hex(s.page.va)}, but ${s.now} is mapped there now: the pin no longer sees what the task sees`, {
        folio: s.page.folio,
        holder: holder.gup(s.handle.name),
      });
    }
  }
}

/** References held by holders that are gone (`leak:` holders). */
export function leakedRefs(sim: Pick<Sim, 'state'>): number {
  let total = 0;
  for (const f of sim.state.folios.values()) for (const [k, h] of f.holds) if (isLeak(k)) total += h.refs;
  return total;
}
