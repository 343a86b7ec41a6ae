// bio_iov_iter_get_pages() as iomap and the block device use it: one bio per call, filled with the user
// pages of up to BIO_MAX_VECS bvecs, then submitted. Kernel: block/bio.c (bio_iov_iter_get_pages).

import type { Sim } from '../sim';
import type { Bio, Dio, FileObj, Mm } from '../state';
import { PAGE_SIZE } from '../state';
import { folioOf } from '../folio';
import { gup, type GupFlags } from '../gup';
import { bioAddPage, bioHolder, bioPut, newBio, setPagesDirtyBeforeRead, submitBio } from '../block';
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

/** Builds one bio over [va, va+bytes) and submits it; returns the bytes added (or a negative errno). */
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
  const startVa = Math.floor(va / PAGE_SIZE) * PAGE_SIZE;
  const npages = userPagesOf(va, bytes);
  const flags: GupFlags = { pin: dio.isPinned, write: dio.op === 'read', longterm: false, fast: true };
  const r = sim.call('bio_iov_iter_get_pages', () =>
    sim.call(dio.isPinned ? 'iov_iter_extract_pages' : 'iov_iter_get_pages2', () =>
      gup(sim, mm, startVa, npages, flags, bioHolder(bio), dio.isPinned ? 'pin_user_pages_fast' : 'get_user_pages_fast'),
    ),
  );
  let added = 0;
  r.pages.forEach((p, i) => {
    const pageStart = startVa + i * PAGE_SIZE;
    const from = Math.max(va, pageStart);
    const to = Math.min(va + bytes, pageStart + PAGE_SIZE);
    bioAddPage(sim, bio, folioOf(sim, p.folio), p.page, from - pageStart, to - from, dio.isPinned ? 'pin' : 'get');
    added += to - from;
  });
  if (added === 0) {
    sim.journal.set(dio, 'bios', dio.bios.filter((b) => b !== bio.id));
    bioPut(sim, bio);
    return r.result < 0 ? r.result : -ERRNO.EFAULT!;
  }
  sim.journal.set(dio, 'refcount', dio.refcount + 1);
  setPagesDirtyBeforeRead(sim, bio);
  if (spec.submitFn) sim.call(spec.submitFn, () => submitBio(sim, bio));
  else submitBio(sim, bio);
  return added;
}
