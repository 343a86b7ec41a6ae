// The block layer: bios and their bvecs, submission, and how completion releases user pages.
// Kernel: block/bio.c (bio_add_page, bio_release_pages, bio_set_pages_dirty, bio_check_pages_dirty,
// bio_dirty_fn), include/linux/bio.h, block/blk.h (bio_release_page).

import type { Sim } from './sim';
import type { Bio, Bvec, Folio } from './state';
import { PAGE_SIZE, SECTOR_SIZE } from './state';
import { folioName, putRef, setDirty } from './folio';
import { gupPutFolio } from './gup';
import { holder } from './holders';

export const BIO_MAX_VECS = 256;

export function bioHolder(bio: Bio): string {
  return holder.bio(bio);
}

export function newBio(sim: Sim, spec: Pick<Bio, 'op' | 'file' | 'sector' | 'endIo' | 'pinned' | 'noPageRef' | 'dirtyAtCompletion' | 'checkDirty' | 'zeroing'> & { dio?: number }): Bio {
  const id = sim.state.counters.bio;
  sim.journal.set(sim.state.counters, 'bio', id + 1);
  const bio: Bio = { id, name: `bio#${id}`, bvecs: [], state: 'building', deferred: false, ...spec };
  sim.journal.insertNew(sim.state.bios, id, bio);
  sim.call(spec.endIo === 'submit_bio_wait_endio' ? 'bio_init' : 'bio_alloc', () =>
    sim.emit('bio', () => ({
      text: `${bio.name} is allocated for a ${spec.op} at sector ${spec.sector}${spec.pinned ? ', flagged BIO_PAGE_PINNED (its pages are pinned and will be unpinned)' : spec.noPageRef ? ', flagged BIO_NO_PAGE_REF (completion will not put its pages)' : ''}.`,
      bio: id,
      dio: spec.dio,
    })),
  );
  return bio;
}

/**
 * bio_add_page() / bio_add_folio(): append a segment. A segment that continues the last bvec within the same
 * folio (physically contiguous) extends it; anything else, including another occurrence of the same page,
 * gets its own bvec. The caller has already taken the reference or pin the bio will own (or none).
 */
export function bioAddPage(sim: Sim, bio: Bio, f: Folio, page: number, offset: number, len: number, hold: Bvec['hold']): void {
  const last = bio.bvecs[bio.bvecs.length - 1];
  const merges = last !== undefined && bioMerges(bio, f, page, offset, hold);
  const bvecs = merges ? [...bio.bvecs.slice(0, -1), { ...last, len: last.len + len }] : [...bio.bvecs, { folio: f.id, page, offset, len, hold }];
  sim.journal.set(bio, 'bvecs', bvecs);
  sim.emit('bio', () => ({
    text: merges
      ? `${folioName(f)} page ${page} continues the last bvec of ${bio.name} (physically contiguous in one folio): it now covers ${last!.len + len} bytes.`
      : `${bio.name} gets bvec ${bvecs.length - 1}: ${len} bytes of ${folioName(f)}${f.order ? ` page ${page}` : ''} at offset ${offset}.`,
    bio: bio.id,
    folio: f.id,
  }));
}

/** Whether a segment would extend the bio's last bvec (__bio_try_merge_page) rather than need a new one. */
export function bioMerges(bio: Bio, f: Folio, page: number, offset: number, hold: Bvec['hold']): boolean {
  const last = bio.bvecs[bio.bvecs.length - 1];
  return last !== undefined && last.folio === f.id && last.hold === hold && last.page * PAGE_SIZE + last.offset + last.len === page * PAGE_SIZE + offset;
}

export function bioBytes(bio: Bio): number {
  return bio.bvecs.reduce((sum, b) => sum + b.len, 0);
}

/** How many pages a bvec spans (it may start mid-page). */
export function bvecPages(b: Bvec): number {
  const first = Math.floor(b.offset / PAGE_SIZE);
  const last = Math.floor((b.offset + b.len - 1) / PAGE_SIZE);
  return last - first + 1;
}

/**
 * Whether the block layer dirties this folio after a read. Before 1b151e2435fc (v6.8) every dirtying helper
 * skipped compound pages, a shortcut from the hugetlbfs days that also caught THPs.
 */
function dirtiable(sim: Sim, f: Folio): boolean {
  return f.kind !== 'zero' && (f.order === 0 || sim.policy['bio-dirty-large'] === 'dirty');
}

/** bio_set_pages_dirty(): a read into user memory dirties its pages before submission (checked at completion). */
export function setPagesDirtyBeforeRead(sim: Sim, bio: Bio): void {
  if (!bio.checkDirty) return;
  sim.call('bio_set_pages_dirty', () => {
    for (const f of bioFolios(sim, bio)) {
      if (dirtiable(sim, f)) setDirty(sim, f, true, 'before the read is submitted: the device will write into it by DMA, which no PTE records');
      else if (f.kind !== 'zero') skippedCompound(sim, bio, f);
    }
  });
}

function skippedCompound(sim: Sim, bio: Bio, f: Folio): void {
  sim.emit('bio', () => ({ text: `${folioName(f)} is a compound page: ${bio.name}'s dirtying passes over it (PageCompound), so the data the device writes into it is not marked dirty.`, bio: bio.id, folio: f.id }));
}

/** submit_bio(). */
export function submitBio(sim: Sim, bio: Bio): void {
  sim.journal.set(bio, 'state', 'submitted');
  sim.call('submit_bio', () =>
    sim.emit('bio', () => ({
      text: `${bio.name} is submitted: ${bioBytes(bio)} bytes in ${bio.bvecs.length} bvec${bio.bvecs.length === 1 ? '' : 's'} at sector ${bio.sector}, in flight until the device completes it.`,
      bio: bio.id,
    })),
  );
}

function bioFolios(sim: Sim, bio: Bio): Folio[] {
  const seen = new Set<number>();
  const out: Folio[] = [];
  for (const b of bio.bvecs) {
    if (seen.has(b.folio)) continue;
    seen.add(b.folio);
    const f = sim.state.folios.get(b.folio);
    if (f) out.push(f);
  }
  return out;
}

/** bio_release_pages(): put (FOLL_GET era) or unpin (BIO_PAGE_PINNED) every page, dirtying first if asked. */
export function bioReleasePages(sim: Sim, bio: Bio, markDirty: boolean): void {
  sim.call('bio_release_pages', () => {
    if (bio.noPageRef || bio.bvecs.every((b) => b.hold === 'none')) {
      sim.emit('bio', () => ({ text: `${bio.name} holds no page references (${bio.noPageRef ? 'BIO_NO_PAGE_REF' : bio.pinned ? 'nothing to unpin' : 'not BIO_PAGE_PINNED'}): nothing to release.`, bio: bio.id }));
      return;
    }
    for (const b of bio.bvecs) {
      const f = sim.state.folios.get(b.folio);
      if (!f || b.hold === 'none') continue;
      const n = bvecPages(b);
      if (markDirty && !f.dirty && f.kind !== 'zero') {
        if (dirtiable(sim, f)) sim.call('folio_mark_dirty', () => setDirty(sim, f, true, 'as the read completes'));
        else skippedCompound(sim, bio, f);
      }
      // Older kernels walk every 4 KiB page of a bvec (bio_for_each_segment_all); newer ones each folio span.
      const byFolio = sim.policy['bio-release'] === 'folios';
      const chunks = byFolio ? [n] : Array.from({ length: n }, () => 1);
      for (const c of chunks) {
        if (b.hold === 'pin') sim.call(byFolio ? 'unpin_user_folio' : 'unpin_user_page', () => gupPutFolio(sim, f, c, true, bioHolder(bio)));
        else sim.call('put_page', () => putRef(sim, f, bioHolder(bio), c, `as ${bio.name} completes`));
      }
    }
  });
}

export function bioPut(sim: Sim, bio: Bio): void {
  sim.journal.set(bio, 'state', 'released');
  sim.journal.set(bio, 'deferred', false);
  // The simple synchronous block-device path keeps its bio on the stack.
  const onStack = bio.endIo === 'submit_bio_wait_endio';
  sim.call(onStack ? 'bio_uninit' : 'bio_put', () => sim.emit('bio', () => ({ text: onStack ? `${bio.name} (on the stack) is torn down.` : `${bio.name} is freed.`, bio: bio.id })));
}

/**
 * bio_check_pages_dirty(): at completion (maybe in IRQ context), release at once if every page is still
 * dirty; otherwise queue the bio for bio_dirty_fn to re-dirty and release from process context.
 */
export function bioCheckPagesDirty(sim: Sim, bio: Bio): void {
  sim.call('bio_check_pages_dirty', () => {
    // A compound page that is clean does not send the bio to the worker (it would not dirty it either).
    const clean = bioFolios(sim, bio).filter((f) => !f.dirty && dirtiable(sim, f));
    if (clean.length === 0) {
      sim.emit('bio', () => ({ text: `Every page of ${bio.name} is still dirty: its pages are released now.`, bio: bio.id }));
      bioReleasePages(sim, bio, false);
      bioPut(sim, bio);
      return;
    }
    sim.journal.set(bio, 'deferred', true);
    sim.emit('bio', () => ({
      text: `${clean.map(folioName).join(', ')} ${clean.length === 1 ? 'was' : 'were'} cleaned while ${bio.name} was in flight; marking dirty cannot be done here (interrupt context), so ${bio.name} goes on bio_dirty_list for a worker.`,
      bio: bio.id,
    }));
  });
}

/** bio_dirty_fn(): the deferred work re-dirties and releases every queued bio, in process context. */
export function runDeferredDirtyWork(sim: Sim): void {
  const queued = [...sim.state.bios.values()].filter((b) => b.deferred);
  if (queued.length === 0) return;
  sim.inContext(['process_one_work', 'bio_dirty_fn'], () => {
    for (const bio of queued) {
      sim.emit('bio', () => ({ text: `The deferred work takes ${bio.name} off bio_dirty_list, re-dirties its pages and releases them.`, bio: bio.id }));
      bioReleasePages(sim, bio, true);
      bioPut(sim, bio);
    }
  });
}

export function sectorOf(diskBlock: number, blocksize: number, within: number): number {
  return (diskBlock * blocksize + within) / SECTOR_SIZE;
}
