// GUP: get_user_pages / pin_user_pages, their fast path, unsharing, try_grab_folio and gup_put_folio.
// Kernel: mm/gup.c (__get_user_pages, follow_page_pte, gup_fast_pte_range, try_grab_folio, gup_put_folio,
// unpin_user_pages_dirty_lock, folio_add_pin), mm/internal.h (gup_must_unshare).

import type { Sim } from './sim';
import type { Folio, HandlePage, Mm, Vma } from './state';
import { PAGE_SIZE } from './state';
import { addPin, dropPin, folioName, getRef, putRef, setDirty } from './folio';
import { hex, isCow, lookup, vmaAt, writableAt, type Mapping } from './mm';
import { handleFault } from './fault';
import { ERRNO } from './events';

export interface GupFlags {
  pin: boolean; // FOLL_PIN (else FOLL_GET)
  write: boolean; // FOLL_WRITE
  longterm: boolean; // FOLL_LONGTERM
  fast: boolean; // try GUP-fast first
}

export interface GupResult {
  pages: HandlePage[];
  /** Number of pages, or a negative errno when none could be taken. */
  result: number;
}

export function flagNames(f: GupFlags): string {
  return [f.pin ? 'FOLL_PIN' : 'FOLL_GET', f.write && 'FOLL_WRITE', f.longterm && 'FOLL_LONGTERM'].filter(Boolean).join('|');
}

/** gup_must_unshare(): must a R/O pin break COW first, so it does not pin a page that may change under it? */
export function mustUnshare(sim: Sim, flags: GupFlags, vma: Vma | undefined, m: Mapping): boolean {
  if (!flags.pin || flags.write) return false;
  const policy = sim.policy.unshare;
  if (policy === 'none') return false;
  const f = m.folio;
  if (f.kind !== 'anon') {
    if (policy !== 'cow' || !flags.longterm) return false;
    // GUP-fast has no VMA and assumes the worst.
    return vma === undefined || isCow(vma);
  }
  return f.anonExclusive[m.page] !== 1;
}

/**
 * Take references or pins on `npages` pages starting at `va` in `mm` for `holder`.
 * `caller` names the entry point (pin_user_pages_fast, get_user_pages, iov_iter_extract_pages, ...).
 */
export function gup(sim: Sim, mm: Mm, va: number, npages: number, flags: GupFlags, holder: string, caller: string): GupResult {
  return sim.call(caller, () => {
    const pages: HandlePage[] = [];
    sim.emit('gup', () => ({ text: `${caller}(${hex(va)}, ${npages} page${npages === 1 ? '' : 's'}, ${flagNames(flags)}) starts.`, task: mm.owner, va }));
    if (flags.pin && !mm.hasPinned) {
      sim.journal.set(mm, 'hasPinned', true);
      sim.emit('flag', () => ({ text: `${mm.owner}'s mm is marked MMF_HAS_PINNED: fork will now check its pages for pins.`, task: mm.owner }));
    }
    let done = 0;
    if (flags.fast) done = sim.call('gup_fast', () => gupFast(sim, mm, va, npages, flags, holder, pages));
    let error = 0;
    if (done < npages) {
      const slow = sim.call(flags.longterm ? '__gup_longterm_locked' : '__get_user_pages_locked', () =>
        sim.call('__get_user_pages', () => gupSlow(sim, mm, va + done * PAGE_SIZE, npages - done, flags, holder, pages)),
      );
      done += slow.done;
      error = slow.error;
    }
    const result = done > 0 ? done : error || 0;
    sim.emit('gup', () => ({
      text: result < 0 ? `${caller} fails with -${errName(result)}: no page was taken.` : `${caller} returns ${result} of ${npages} page${npages === 1 ? '' : 's'}.`,
      task: mm.owner,
      va,
    }));
    return { pages, result };
  });
}

function errName(result: number): string {
  return Object.entries(ERRNO).find(([, n]) => -n === result)?.[0] ?? String(-result);
}

/** GUP-fast: lockless walk; gives up (falls back) on anything that needs the VMA or a fault. */
function gupFast(sim: Sim, mm: Mm, va: number, npages: number, flags: GupFlags, holder: string, out: HandlePage[]): number {
  let done = 0;
  while (done < npages) {
    const addr = va + done * PAGE_SIZE;
    const m = lookup(sim, mm, addr);
    const why = fastRefusal(sim, flags, m);
    if (why) {
      sim.emit('gup', () => ({ text: `GUP-fast gives up at ${hex(addr)}: ${why}; the rest goes to the slow path.`, task: mm.owner, va: addr }));
      break;
    }
    const span = m!.pmd ? Math.min(npages - done, 512 - m!.page) : 1;
    const grabbed = sim.call(m!.pmd ? 'gup_fast_pmd_leaf' : 'gup_fast_pte_range', () => sim.call('try_grab_folio_fast', () => tryGrabFolio(sim, m!.folio, span, flags, holder)));
    if (grabbed !== 0) break;
    for (let i = 0; i < span; i++) out.push({ folio: m!.folio.id, page: m!.page + i, va: addr + i * PAGE_SIZE });
    done += span;
  }
  return done;
}

function fastRefusal(sim: Sim, flags: GupFlags, m: Mapping | undefined): string | undefined {
  if (!m) return 'nothing is mapped there';
  if (m.pte?.special) return 'the PTE is special (the shared zero page)';
  if (m.pmd?.special) return 'the PMD is special (the huge zero folio)';
  const writable = m.pte ? m.pte.rw : m.pmd!.rw;
  if (flags.write && !writable) return 'the mapping is read-only and this is FOLL_WRITE';
  if (mustUnshare(sim, flags, undefined, m)) return 'the page may need unsharing (gup_must_unshare without a VMA)';
  if (flags.longterm && flags.write && m.folio.kind === 'file' && sim.policy['longterm-file-write'] === 'refuse' && !sim.state.files.get(m.folio.file ?? '')?.shmem) {
    return 'a long-term writable pin of a file-backed folio needs the VMA check (gup_fast_folio_allowed)';
  }
  if (m.folio.refcount <= 0) return `${folioName(m.folio)}'s refcount is ${m.folio.refcount}`;
  return undefined;
}

function gupSlow(sim: Sim, mm: Mm, va: number, npages: number, flags: GupFlags, holder: string, out: HandlePage[]): { done: number; error: number } {
  let done = 0;
  while (done < npages) {
    const addr = va + done * PAGE_SIZE;
    const vma = vmaAt(mm, addr);
    if (!vma) return { done, error: -ERRNO.EFAULT! };
    const refused = checkVmaFlags(sim, vma, addr, flags);
    if (refused) {
      sim.call('check_vma_flags', () => sim.emit('gup', () => ({ text: `check_vma_flags refuses "${vma.name}": ${refused}.`, task: mm.owner, va: addr })));
      return { done, error: -ERRNO.EFAULT! };
    }
    let m: Mapping | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      m = lookup(sim, mm, addr);
      const need = followRefusal(sim, flags, vma, m);
      if (!need) break;
      sim.emit('gup', () => ({ text: `follow_page_pte at ${hex(addr)}: ${need.why}; faultin_page asks for a${need.kind === 'unshare' ? 'n unshare' : ` ${need.kind}`} fault.`, task: mm.owner, va: addr }));
      const ok = sim.call('faultin_page', () => handleFault(sim, mm, vma, addr, need.kind));
      if (!ok) return { done, error: -ERRNO.EFAULT! };
      m = undefined;
    }
    if (!m) return { done, error: -ERRNO.EFAULT! };
    // Older kernels grab each 4 KiB page of a huge mapping separately when filling a pages array.
    const span = m.pmd && sim.policy['gup-batching'] === 'folios' ? Math.min(npages - done, 512 - m.page) : 1;
    const fn = m.pmd ? 'follow_huge_pmd' : 'follow_page_pte';
    const grabbed = sim.call(fn, () => sim.call('try_grab_folio', () => tryGrabFolio(sim, m.folio, span, flags, holder)));
    if (grabbed !== 0) return { done, error: grabbed };
    for (let i = 0; i < span; i++) out.push({ folio: m.folio.id, page: m.page + i, va: addr + i * PAGE_SIZE });
    done += span;
  }
  return { done, error: 0 };
}

function checkVmaFlags(sim: Sim, vma: Vma, addr: number, flags: GupFlags): string | undefined {
  if (flags.write && !writableAt(vma, addr)) return 'FOLL_WRITE on a read-only mapping';
  if (flags.longterm && flags.write && vma.shared && vma.backing === 'file' && sim.policy['longterm-file-write'] === 'refuse') {
    return 'a long-term writable pin of a shared mapping of a regular file is not allowed (writable_file_mapping_allowed)';
  }
  return undefined;
}

function followRefusal(sim: Sim, flags: GupFlags, vma: Vma, m: Mapping | undefined): { kind: 'read' | 'write' | 'unshare'; why: string } | undefined {
  if (!m) return { kind: flags.write ? 'write' : 'read', why: 'nothing is mapped' };
  const writable = m.pte ? m.pte.rw : m.pmd!.rw;
  if (flags.write && !writable) return { kind: 'write', why: `the ${m.pte?.special ? 'zero-page ' : ''}PTE is read-only and this is FOLL_WRITE (can_follow_write_pte is false)` };
  if (mustUnshare(sim, flags, vma, m)) return { kind: 'unshare', why: `gup_must_unshare: a R/O pin of ${folioName(m.folio)} here could go stale (-EMLINK)` };
  return undefined;
}

/**
 * try_grab_folio(): FOLL_GET adds 1 per page; FOLL_PIN adds the 1024 bias (small folio) or 1 + `_pincount`
 * (large folio), except that the zero page is not counted where the policy says so. Refuses with -ENOMEM when
 * the refcount is already <= 0 (the overflow check). Returns 0 on success or a negative errno.
 */
export function tryGrabFolio(sim: Sim, f: Folio, npages: number, flags: GupFlags, holder: string): number {
  if (flags.pin && f.kind === 'zero') {
    const zp = sim.policy['zero-pin'];
    if (zp === 'skip') {
      sim.emit('pin', () => ({ text: `The shared zero page is "pinned" without touching its refcount (is_zero_folio): it stays ${f.refcount}.`, folio: f.id, holder, delta: 0 }));
      return 0;
    }
    if (zp === 'fail') {
      sim.emit('pin', () => ({ text: `try_grab_page() returns 0 for the zero page, which its bool-returning callers read as failure: the pin fails with -ENOMEM (the 6.1.130 backport bug).`, folio: f.id, holder, delta: 0 }));
      return -ERRNO.ENOMEM!;
    }
  }
  if (f.refcount <= 0) {
    sim.find('gup-refused', `GUP refused ${folioName(f)}: its refcount is ${f.refcount} (≤ 0), the kernel's overflow check WARNs and returns -ENOMEM`, { folio: f.id, holder });
    sim.emit('gup', () => ({ text: `WARN_ON_ONCE: ${folioName(f)}'s refcount is ${f.refcount}, so try_grab_folio refuses it with -ENOMEM.`, folio: f.id, holder }));
    return -ERRNO.ENOMEM!;
  }
  if (flags.pin) addPin(sim, f, holder, npages);
  else getRef(sim, f, holder, npages, '(FOLL_GET)');
  return 0;
}

/** folio_add_pin(): one more pin on a folio the caller already has pinned (no-op for the zero page since v6.5). */
export function folioAddPin(sim: Sim, f: Folio, holder: string): void {
  sim.call('folio_add_pin', () => {
    if (f.kind === 'zero' && sim.policy['zero-pin'] !== 'count') {
      sim.emit('pin', () => ({ text: `folio_add_pin leaves the zero page alone: refcount stays ${f.refcount}.`, folio: f.id, holder, delta: 0 }));
      return;
    }
    const notPinned = f.order > 0 ? f.pincount < 1 : f.refcount >>> 0 < 1024;
    if (notPinned) {
      sim.find('pin-warn', `folio_add_pin on ${folioName(f)}, which is not pinned (WARN_ON_ONCE in the kernel)`, { folio: f.id, holder });
    }
    addPin(sim, f, holder, 1);
  });
}

/** gup_put_folio(): release `refs` references or pins taken by `holder`. */
export function gupPutFolio(sim: Sim, f: Folio, refs: number, pin: boolean, holder: string): void {
  sim.call('gup_put_folio', () => {
    if (pin) {
      if (f.kind === 'zero' && sim.policy['zero-pin'] !== 'count') {
        sim.emit('pin', () => ({ text: `Unpinning the zero page does nothing (is_zero_folio): refcount stays ${f.refcount}.`, folio: f.id, holder, delta: 0 }));
        return;
      }
      dropPin(sim, f, holder, refs);
    } else {
      putRef(sim, f, holder, refs);
    }
  });
}

/**
 * unpin_user_pages{,_dirty_lock}() / put_page() over a list of pages, batching consecutive pages of one folio.
 * `times` repeats the list (a handle that stands for several identical calls).
 */
export function releasePages(sim: Sim, pages: readonly HandlePage[], pin: boolean, holder: string, dirty: boolean, times = 1): void {
  const batched = sim.policy['gup-batching'] === 'folios';
  let i = 0;
  while (i < pages.length) {
    const folioId = pages[i]!.folio;
    let n = 1;
    if (batched) while (i + n < pages.length && pages[i + n]?.folio === folioId) n++;
    const f = sim.state.folios.get(folioId);
    if (f) {
      if (dirty && !f.dirty) {
        sim.call('folio_mark_dirty', () => setDirty(sim, f, true, 'before unpinning (the device may have written to it)'));
      }
      gupPutFolio(sim, f, n * times, pin, holder);
    }
    i += n;
  }
}
