// Direct I/O on the raw block device: file offset = device offset, no holes, no zeroing.
// Kernel: block/fops.c (blkdev_direct_IO, __blkdev_direct_IO_simple, __blkdev_direct_IO_async,
// blkdev_bio_end_io_async).

import type { Sim } from '../sim';
import type { Dio } from '../state';
import { PAGE_SIZE, SECTOR_SIZE } from '../state';
import { BIO_MAX_VECS } from '../block';
import { ERRNO } from '../events';
import type { DioEngine, DioRange } from './engine';
import { bioIovIterGetPages, type BioIterSpec } from './bioiter';

function submit(sim: Sim, dio: Dio, { file, mm, bufVa, foff, len }: DioRange): void {
  const end = foff + len;
  let pos = foff;
  let userVa = bufVa;
  const spec: BioIterSpec = {
    endIo: dio.async ? 'blkdev_bio_end_io_async' : 'submit_bio_wait_endio',
    // The async path dirties at submission (should_dirty) and checks at completion; the simple synchronous
    // path dirties when it releases the pages instead.
    checkDirty: dio.shouldDirty && dio.async,
  };
  sim.call(dio.async ? '__blkdev_direct_IO_async' : '__blkdev_direct_IO_simple', () => {
    while (pos < end) {
      const bytes = Math.min(end - pos, BIO_MAX_VECS * PAGE_SIZE - (userVa % PAGE_SIZE));
      const got = bioIovIterGetPages(sim, dio, file, mm, userVa, bytes, pos / SECTOR_SIZE, spec);
      if (got <= 0) {
        sim.journal.set(dio, 'result', dio.result > 0 ? dio.result : got || -ERRNO.EFAULT!);
        return;
      }
      sim.journal.set(dio, 'result', dio.result + got);
      pos += got;
      userVa += got;
    }
  });
}

const SIMPLE = ['__blkdev_direct_IO_simple'] as const;

export const blockdevEngine: DioEngine = {
  fs: 'blockdev',
  label: 'the raw block device',
  entry: '__blkdev_direct_IO',
  submit,
  // The simple synchronous path waits with submit_bio_wait and releases the pages itself once woken.
  reaper: (dio) => (dio.async ? undefined : { context: SIMPLE, dropContext: SIMPLE }),
  endIoReleaseFn: () => undefined,
  // The async path completes the kiocb; the simple synchronous path has no dio to complete: the call returns.
  completion: (dio) => (dio.async ? { fn: 'ki_complete' } : {}),
};
