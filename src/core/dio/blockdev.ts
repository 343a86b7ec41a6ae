// Direct I/O on the raw block device: file offset = device offset, no holes, no zeroing.
// Kernel: block/fops.c (fs/block_dev.c before v5.15): blkdev_direct_IO chooses __blkdev_direct_IO_simple
// (synchronous, at most BIO_MAX_VECS pages: one bio on the stack), __blkdev_direct_IO_async (asynchronous,
// at most BIO_MAX_VECS pages) or __blkdev_direct_IO (anything larger: as many bios as needed, released by
// blkdev_bio_end_io).

import type { Sim } from '../sim';
import type { Dio } from '../state';
import { SECTOR_SIZE } from '../state';
import { BIO_MAX_VECS } from '../block';
import { ERRNO } from '../events';
import { userPagesOf, type DioEngine, type DioRange } from './engine';
import { bioIovIterGetPages, type BioIterSpec } from './bioiter';

type Path = 'simple' | 'async' | 'multi';

/** The path blkdev_direct_IO takes: by the number of user pages (iov_iter_npages, capped at BIO_MAX_VECS + 1). */
function pathOf(dio: Dio): Path {
  if (userPagesOf(dio.bufVa, dio.len) > BIO_MAX_VECS) return 'multi';
  return dio.async ? 'async' : 'simple';
}

const PATHS: Record<Path, { fn: string; spec: (dio: Dio) => BioIterSpec }> = {
  // The simple path dirties a read's pages when it releases them after the wait, not at submission.
  simple: { fn: '__blkdev_direct_IO_simple', spec: () => ({ endIo: 'submit_bio_wait_endio', checkDirty: false }) },
  // The others dirty at submission (DIO_SHOULD_DIRTY) and check at completion, in the end_io.
  async: { fn: '__blkdev_direct_IO_async', spec: (dio) => ({ endIo: 'blkdev_bio_end_io_async', checkDirty: dio.shouldDirty }) },
  multi: { fn: '__blkdev_direct_IO', spec: (dio) => ({ endIo: 'blkdev_bio_end_io', checkDirty: dio.shouldDirty }) },
};

function submit(sim: Sim, dio: Dio, { file, mm, bufVa, foff, len }: DioRange): void {
  const end = foff + len;
  let pos = foff;
  let userVa = bufVa;
  const path = PATHS[pathOf(dio)];
  const spec = path.spec(dio);
  sim.call(path.fn, () => {
    while (pos < end) {
      const got = bioIovIterGetPages(sim, dio, file, mm, userVa, end - pos, pos / SECTOR_SIZE, spec);
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
const MULTI = ['__blkdev_direct_IO'] as const;

export const blockdevEngine: DioEngine = {
  fs: 'blockdev',
  label: 'the raw block device',
  entry: 'blkdev_direct_IO',
  grows: false,
  // blkdev_write_iter: nothing at or past the end of the device (-ENOSPC), and a write is cut at the end.
  writeLimit: (file, foff, len) => (foff >= file.size ? -ERRNO.ENOSPC! : Math.min(len, file.size - foff)),
  submit,
  // The simple synchronous path waits with submit_bio_wait and releases the pages itself once woken.
  reaper: (dio) => (pathOf(dio) === 'simple' ? { context: SIMPLE, dropContext: SIMPLE } : undefined),
  endIoReleaseFn: () => undefined,
  completion: (dio) => {
    const path = pathOf(dio);
    // The simple path has no dio to complete: the system call just returns. The multi-bio path's waiter
    // is woken by the last bio and returns the size itself; async paths complete the kiocb.
    if (path === 'simple') return {};
    if (path === 'multi' && !dio.async) return { inTask: MULTI };
    return { fn: 'ki_complete' };
  },
};
