// bio_iov_iter_get_pages() as iomap and the block device use it: one bio per call, filled with user pages
// until it has no bvec left, then submitted. Kernel: block/bio.c (bio_iov_iter_get_pages,
// __bio_iov_iter_get_pages, bio_full, bvec_try_merge_page / __bio_try_merge_page before v6.6).

import type { Sim } from '../sim';
import type { Bio, Dio, FileObj, Mm } from '../state';
import { PAGE_SIZE } from '../state';
import { folioOf } from '../folio';
import { gup, type GupFlags } from '../gup';
import { BIO_MAX_VECS, bioAddPage, bioHolder, bioPut, newBio, setPagesDirtyBeforeRead, submitBio } from '../block';
import { ERRNO } from '../events';
import { userPagesOf } from './engine';

/** What differs between the engines that call bio_iov_iter_get_pages. */
export interface BioIterSpec {
  endIo: Bio['endIo'];
  /** Pages are dirtied at submission and checked at completion (iomap's IOMAP_DIO_DIRTY, blkdev's should_dirty). */
  checkDirty: boolean;
  /** The function that submits the bio, if the engine wraps submit_bio. */
  submitFn?: string;
}

/**
 * bio_iov_iter_vecs_to_alloc(): the bvecs a new bio is sized for, the user pages left in the range, at most
 * BIO_MAX_VECS.
 */
export function vecsToAlloc(va: number, bytes: number): number {
  return Math.min(userPagesOf(va, bytes), BIO_MAX_VECS);
}

/**
 * Builds one bio from the start of [va, va+bytes) and submits it; returns the bytes it took (or a negative
 * errno). The bio is full when its bvecs run out, not its pages (bio_full counts bi_vcnt): each extraction
 * asks for as many pages as bvecs are left, and physically contiguous pages of one folio merge into the last
 * bvec, so a PMD-mapped THP of 512 pages fits in one bvec of one bio.
 */
export function bioIovIterGetPages(sim: Sim, dio: Dio, file: FileObj, mm: Mm, va: number, bytes: number, sector: number, spec: BioIterSpec): number {
  const bio = newBio(sim, {
    op: dio.op,
    file: file.name,
    sector,
    endIo: spec.endIo,
    pinned: dio.isPinned,
    noPageRef: false,
    dirtyAtCompletion: dio.shouldDirty,
    checkDirty: spec.checkDirty,
    zeroing: false,
    dio: dio.id,
  });
  sim.journal.set(dio, 'bios', [...dio.bios, bio.id]);
  const maxVecs = vecsToAlloc(va, bytes);
  const flags: GupFlags = { pin: dio.isPinned, write: dio.op === 'read', longterm: false, fast: true };
  const end = va + bytes;
  let added = 0;
  let error = 0;
  sim.call('bio_iov_iter_get_pages', () => {
    // do { __bio_iov_iter_get_pages() } while (iov_iter_count(iter) && !bio_full(bio))
    // `added` grows inside the forEach below, which the loop-condition lint cannot see: test it in the body.
    for (;;) {
      const at = va + added;
      if (at >= end || bio.bvecs.length >= maxVecs) break;
      const startVa = Math.floor(at / PAGE_SIZE) * PAGE_SIZE;
      const npages = Math.min(maxVecs - bio.bvecs.length, userPagesOf(at, end - at));
      const r = sim.call(dio.isPinned ? 'iov_iter_extract_pages' : 'iov_iter_get_pages2', () =>
        gup(sim, mm, startVa, npages, flags, bioHolder(bio), dio.isPinned ? 'pin_user_pages_fast' : 'get_user_pages_fast'),
      );
      r.pages.forEach((p, i) => {
        const pageStart = startVa + i * PAGE_SIZE;
        const from = Math.max(at, pageStart);
        const to = Math.min(end, pageStart + PAGE_SIZE);
        bioAddPage(sim, bio, folioOf(sim, p.folio), p.page, from - pageStart, to - from, dio.isPinned ? 'pin' : 'get');
        added += to - from;
      });
      if (r.pages.length < npages) {
        error = r.result < 0 ? r.result : -ERRNO.EFAULT!;
        break;
      }
    }
  });
  if (added === 0) {
    sim.journal.set(dio, 'bios', dio.bios.filter((b) => b !== bio.id));
    bioPut(sim, bio);
    return error || -ERRNO.EFAULT!;
  }
  sim.journal.set(dio, 'refcount', dio.refcount + 1);
  setPagesDirtyBeforeRead(sim, bio);
  if (spec.submitFn) sim.call(spec.submitFn, () => submitBio(sim, bio));
  else submitBio(sim, bio);
  return added;
}
