// The legacy engine, fs/direct-io.c (ext2-era filesystems, UDF, FAT): a 64-page queue of user pages, a
// current page that grows while the next section continues it, one bio at a time, ZERO_PAGE(0) for the
// uncovered part of a new block when the I/O is finer than the block size.
// Kernel: fs/direct-io.c (__blockdev_direct_IO, do_direct_IO, dio_refill_pages, get_more_blocks,
// submit_page_section, dio_send_cur_page, dio_bio_add_page, dio_zero_block, dio_cleanup, dio_bio_complete,
// dio_complete).

import type { Sim } from '../sim';
import type { Bio, Dio, FileObj, HandlePage, Mm, QueuedPage } from '../state';
import { PAGE_SIZE, SECTOR_SIZE } from '../state';
import { folioName, folioOf, getRef, putRef } from '../folio';
import { folioAddPin, gup, gupPutFolio, releasePages, type GupFlags } from '../gup';
import { BIO_MAX_VECS, bioAddPage, bioBytes, bioMerges, bioHolder, newBio, setPagesDirtyBeforeRead, submitBio } from '../block';
import { ERRNO } from '../events';
import { dioCurHolder, dioQueueHolder, finishDio, userPagesOf, type DioEngine, type DioRange } from './engine';
import { allocateBlocks } from './blocks';

const DIO_PAGES = 64;

interface LegacyCursor {
  /** The dio block size: the fs block size when the request is aligned to it, else 512. */
  unit: number;
  /** fs blocks per dio block ratio (1 << blkfactor). */
  factor: number;
  blockInFile: number;
  finalBlock: number;
  blocksAvailable: number;
  nextBlockForIo: number;
  bufferNew: boolean;
  startZeroDone: boolean;
  curBlock: number;
  /** sdio->cur_page_fs_offset: block_in_file (in bytes) when the current page was started. */
  curFsOffset: number;
  finalBlockInBio: number;
  /** sdio->logical_offset_in_bio: the file offset the current bio was started for. */
  bioFsOffset: number;
  bio: Bio | null;
  /** User pages not yet extracted. */
  nextUserVa: number;
  userEnd: number;
  pageErrors: number;
}

function submit(sim: Sim, dio: Dio, { file, mm, bufVa, foff, len }: DioRange): void {
  const bs = file.blocksize;
  const aligned = foff % bs === 0 && len % bs === 0 && bufVa % bs === 0;
  const unit = aligned ? bs : SECTOR_SIZE;
  const c: LegacyCursor = {
    unit,
    factor: bs / unit,
    blockInFile: foff / unit,
    finalBlock: (foff + len) / unit,
    blocksAvailable: 0,
    nextBlockForIo: 0,
    bufferNew: false,
    startZeroDone: false,
    curBlock: 0,
    curFsOffset: 0,
    finalBlockInBio: -1,
    bioFsOffset: 0,
    bio: null,
    nextUserVa: bufVa,
    userEnd: bufVa + len,
    pageErrors: 0,
  };
  const result = sim.call('do_direct_IO', () => doDirectIo(sim, dio, file, mm, c));
  if (result === -ERRNO.ENOTBLK!) {
    // __blockdev_direct_IO turns -ENOTBLK into a short result; the caller writes the rest buffered.
    sim.journal.set(dio, 'fallbackBytes', foff + len - c.blockInFile * c.unit);
    dioCleanup(sim, dio);
  } else if (result < 0) {
    dioCleanup(sim, dio);
    if (dio.bios.length === 0 && !dio.cur) {
      finishDio(sim, dio, result, 'the user pages could not be taken');
      return;
    }
  }
  sim.call('dio_zero_block', () => dioZeroBlock(sim, dio, file, c, true));
  if (dio.cur) {
    sim.call('dio_send_cur_page', () => sendCurPage(sim, dio, file, c));
    releaseCur(sim, dio);
  }
  if (c.bio) sim.call('dio_bio_submit', () => dioBioSubmit(sim, dio, c));
  sim.call('dio_cleanup', () => dioCleanup(sim, dio));
  // The user data the cursor got through (a hole ends a write early: the rest goes to buffered I/O).
  const done = c.blockInFile * c.unit - foff;
  sim.journal.set(dio, 'result', c.pageErrors < 0 ? c.pageErrors : done);
  // A short write is never left in flight: even an async submitter waits for what it sent (dio_await_completion),
  // though its bios keep the async end_io they were allocated with.
  if (dio.fallbackBytes > 0 && dio.async) sim.journal.set(dio, 'async', false);
  if (dio.fallbackBytes > 0 && dio.bios.length === 0) {
    finishDio(sim, dio, dio.result, 'nothing could go direct');
    bufferedFallback(sim, dio);
  }
}

/**
 * The caller's fallback after a short legacy direct write (__generic_file_write_iter; direct_write_fallback
 * from v6.5): generic_perform_write copies the rest into the page cache, block_write_begin allocating the
 * hole's blocks, then the range is written back and its cached pages invalidated, so the system call returns
 * the direct part plus the buffered part, never -ENOTBLK.
 */
function bufferedFallback(sim: Sim, dio: Dio): void {
  const file = sim.state.files.get(dio.file)!;
  const bytes = dio.fallbackBytes;
  const pos = dio.foff + dio.len - bytes;
  sim.inContext(['ksys_pwrite64', '__generic_file_write_iter'], () => {
    sim.emit('dio', () => ({ text: `${dio.name} wrote ${Math.max(0, dio.result)} bytes directly; the remaining ${bytes} bytes from offset ${pos} go through the page cache instead.`, dio: dio.id }));
    sim.call('generic_perform_write', () => allocateBlocks(sim, file, Math.floor(pos / file.blocksize), Math.floor((pos + bytes - 1) / file.blocksize)));
    sim.call('filemap_write_and_wait_range', () => sim.emit('file', () => ({ text: `The ${bytes} buffered bytes are written back at once and their page-cache pages invalidated (invalidate_mapping_pages), so the write still bypasses the cache in effect.` })));
    if (pos + bytes > file.size) {
      sim.journal.set(file, 'size', pos + bytes);
      sim.emit('file', () => ({ text: `${file.name} grows to ${pos + bytes} bytes.` }));
    }
    const total = Math.max(0, dio.result) + bytes;
    sim.journal.set(dio, 'result', total);
    sim.emit('dio', () => ({ text: `The write system call returns ${total} bytes: the direct part and the buffered part, not -ENOTBLK.`, dio: dio.id }));
  });
}

function doDirectIo(sim: Sim, dio: Dio, file: FileObj, mm: Mm, c: LegacyCursor): number {
  while (c.blockInFile < c.finalBlock) {
    const got = sim.call('dio_get_page', () => dioGetPage(sim, dio, mm, c));
    if (typeof got === 'number') return got;
    const page = got;
    const to = got.to;
    let from = got.from;
    while (from < to) {
      if (c.blocksAvailable === 0) {
        const mapped = sim.call('get_more_blocks', () => getMoreBlocks(sim, dio, file, c));
        if (mapped === 'hole') {
          if (dio.op === 'write') {
            releasePage(sim, dio, page);
            return -ERRNO.ENOTBLK!;
          }
          const f = folioOf(sim, page.folio);
          sim.call('zero_user', () => sim.emit('dio', () => ({ text: `Block ${Math.floor((c.blockInFile * c.unit) / file.blocksize)} of ${file.name} is a hole: the kernel zeroes ${c.unit} bytes of ${folioName(f)} itself, no I/O.`, dio: dio.id, folio: f.id })));
          c.blockInFile++;
          from += c.unit;
          continue;
        }
        if (c.factor > 1 && !c.startZeroDone) sim.call('dio_zero_block', () => dioZeroBlock(sim, dio, file, c, false));
      }
      const blocks = Math.min(c.blocksAvailable, (to - from) / c.unit);
      const bytes = blocks * c.unit;
      sim.call('submit_page_section', () => submitPageSection(sim, dio, file, c, page, from, bytes, c.nextBlockForIo));
      c.nextBlockForIo += blocks;
      c.blockInFile += blocks;
      c.blocksAvailable -= blocks;
      from += bytes;
    }
    releasePage(sim, dio, page);
  }
  return 0;
}

/** The loop is done with a page from the queue: put_page (FOLL_GET) or dio_unpin_page. */
function releasePage(sim: Sim, dio: Dio, page: { folio: number; page: number }): void {
  const f = sim.state.folios.get(page.folio);
  if (!f) return;
  if (dio.isPinned) sim.call('dio_unpin_page', () => sim.call('unpin_user_page', () => gupPutFolio(sim, f, 1, true, dioQueueHolder(dio))));
  else sim.call('put_page', () => putRef(sim, f, dioQueueHolder(dio), 1, 'as the loop is done with it'));
}

function dioGetPage(sim: Sim, dio: Dio, mm: Mm, c: LegacyCursor): QueuedPage | number {
  if (dio.queue.length === 0) {
    const r = sim.call('dio_refill_pages', () => refillPages(sim, dio, mm, c));
    if (r < 0) return r;
  }
  const [head, ...rest] = dio.queue;
  if (!head) return -ERRNO.EFAULT!;
  sim.journal.set(dio, 'queue', rest);
  return head;
}

function refillPages(sim: Sim, dio: Dio, mm: Mm, c: LegacyCursor): number {
  const remaining = userPagesOf(c.nextUserVa, c.userEnd - c.nextUserVa);
  const n = Math.min(DIO_PAGES, remaining);
  const flags: GupFlags = { pin: dio.isPinned, write: dio.op === 'read', longterm: false, fast: true };
  const startVa = Math.floor(c.nextUserVa / PAGE_SIZE) * PAGE_SIZE;
  const r = sim.call(dio.isPinned ? 'iov_iter_extract_pages' : 'iov_iter_get_pages', () =>
    gup(sim, mm, startVa, n, flags, dioQueueHolder(dio), dio.isPinned ? 'pin_user_pages_fast' : 'get_user_pages_fast'),
  );
  if (r.result <= 0) {
    if (dio.op === 'write' && c.blocksAvailable > 0) {
      // Blocks are mapped but the user memory cannot be read: write zeros there rather than stale data.
      if (c.pageErrors === 0) c.pageErrors = r.result || -ERRNO.EFAULT!;
      const zero = sim.state.folios.get(sim.state.zeroFolio)!;
      // Before v6.5 the fill took a reference for the queue; since then the zero page is queued without one.
      if (!dio.isPinned) sim.call('get_page', () => getRef(sim, zero, dioQueueHolder(dio), 1, 'for the page queue'));
      const from = Math.max(0, c.nextUserVa - startVa);
      const to = Math.min(PAGE_SIZE, c.userEnd - startVa);
      c.nextUserVa = startVa + PAGE_SIZE;
      sim.journal.set(dio, 'queue', [{ folio: zero.id, page: 0, from, to }]);
      sim.emit('dio', () => ({ text: `Taking the user pages failed (${r.result}) but blocks are already mapped: ZERO_PAGE(0) goes into the queue so zeros, not stale disk data, are written there.`, dio: dio.id, folio: zero.id }));
      return 0;
    }
    return r.result || -ERRNO.EFAULT!;
  }
  const queued: QueuedPage[] = r.pages.map((p: HandlePage, i) => {
    const pageStart = startVa + i * PAGE_SIZE;
    return { folio: p.folio, page: p.page, from: Math.max(0, c.nextUserVa - pageStart), to: Math.min(PAGE_SIZE, c.userEnd - pageStart) };
  });
  c.nextUserVa = startVa + r.pages.length * PAGE_SIZE;
  sim.journal.set(dio, 'queue', queued);
  sim.emit('dio', () => ({ text: `${dio.name}'s page queue now holds ${queued.length} user page${queued.length === 1 ? '' : 's'}.`, dio: dio.id }));
  return 0;
}

function getMoreBlocks(sim: Sim, dio: Dio, file: FileObj, c: LegacyCursor): 'mapped' | 'hole' {
  const pos = c.blockInFile * c.unit;
  const fsBlock = Math.floor(pos / file.blocksize);
  const endPos = c.finalBlock * c.unit;
  const lastFsBlock = Math.floor((endPos - 1) / file.blocksize);
  let isNew = false;
  if (!file.blocks.has(fsBlock)) {
    if (dio.op === 'read') return 'hole';
    // DIO_SKIP_HOLES: inside i_size the legacy engine will not allocate; beyond it, it creates blocks.
    if (pos < file.size) {
      sim.emit('file', () => ({ text: `get_block finds a hole at block ${fsBlock} inside ${file.name}'s size and, with DIO_SKIP_HOLES, does not allocate: do_direct_IO stops there with -ENOTBLK, and the rest of the write is left to buffered I/O.` }));
      c.bufferNew = false;
      return 'hole';
    }
    allocateBlocks(sim, file, fsBlock, lastFsBlock);
    isNew = true;
  }
  let run = fsBlock;
  while (run + 1 <= lastFsBlock && file.blocks.get(run + 1) === (file.blocks.get(run) ?? NaN) + file.blocksize / SECTOR_SIZE) run++;
  const startSector = file.blocks.get(fsBlock)!;
  const remainderUnits = (pos % file.blocksize) / c.unit;
  c.bufferNew = isNew;
  c.nextBlockForIo = (startSector * SECTOR_SIZE) / c.unit + (isNew ? 0 : remainderUnits);
  c.blocksAvailable = ((run - fsBlock + 1) * file.blocksize) / c.unit - remainderUnits;
  sim.emit('file', () => ({ text: `get_block maps ${file.name} blocks ${fsBlock}–${run} to sector ${startSector}${isNew ? ' (newly allocated: buffer_new)' : ''}.` }));
  return 'mapped';
}

/** dio_zero_block(): zero the part of a new fs block the write does not cover, from ZERO_PAGE(0). */
function dioZeroBlock(sim: Sim, dio: Dio, file: FileObj, c: LegacyCursor, end: boolean): void {
  c.startZeroDone = true;
  if (c.factor <= 1 || !c.bufferNew) return;
  let chunk = c.blockInFile % c.factor;
  if (chunk === 0) return;
  if (end) chunk = c.factor - chunk;
  const bytes = chunk * c.unit;
  const zero = sim.state.folios.get(sim.state.zeroFolio)!;
  sim.emit('dio', () => ({
    text: `The write ${end ? 'ends' : 'starts'} partway into a newly allocated ${file.blocksize}-byte block: dio_zero_block writes ${bytes} bytes of zeros ${end ? 'after' : 'before'} it from ZERO_PAGE(0), which GUP never returned.`,
    dio: dio.id,
    folio: zero.id,
  }));
  sim.call('submit_page_section', () => submitPageSection(sim, dio, file, c, { folio: zero.id, page: 0 }, 0, bytes, c.nextBlockForIo));
  c.nextBlockForIo += chunk;
}

function submitPageSection(sim: Sim, dio: Dio, file: FileObj, c: LegacyCursor, page: { folio: number; page: number }, offset: number, len: number, blocknr: number): void {
  const cur = dio.cur;
  if (cur && cur.folio === page.folio && cur.page === page.page && cur.offset + cur.len === offset && c.curBlock + cur.len / c.unit === blocknr) {
    sim.journal.set(dio, 'cur', { ...cur, len: cur.len + len });
    sim.emit('dio', () => ({ text: `The next ${len} bytes continue ${dio.name}'s current page: it grows to ${cur.len + len} bytes.`, dio: dio.id, folio: page.folio }));
    return;
  }
  if (cur) {
    sim.call('dio_send_cur_page', () => sendCurPage(sim, dio, file, c));
    releaseCur(sim, dio);
  }
  const f = folioOf(sim, page.folio);
  if (dio.isPinned) sim.call('dio_pin_page', () => folioAddPin(sim, f, dioCurHolder(dio)));
  else sim.call('get_page', () => getRef(sim, f, dioCurHolder(dio), 1, '("it is in dio")'));
  sim.journal.set(dio, 'cur', { folio: page.folio, page: page.page, offset, len });
  c.curBlock = blocknr;
  // Taken from block_in_file, not from the chunk: for dio_zero_block's head chunk that is already the user
  // data's offset, which is what splits the head zeroing into a bio of its own.
  c.curFsOffset = c.blockInFile * c.unit;
  sim.emit('dio', () => ({ text: `${folioName(f)} becomes ${dio.name}'s current page (${len} bytes at offset ${offset}, disk block ${blocknr}).`, dio: dio.id, folio: f.id }));
}

function releaseCur(sim: Sim, dio: Dio): void {
  const cur = dio.cur;
  if (!cur) return;
  const f = sim.state.folios.get(cur.folio);
  sim.journal.set(dio, 'cur', null);
  if (!f) return;
  if (dio.isPinned) sim.call('dio_unpin_page', () => sim.call('unpin_user_page', () => gupPutFolio(sim, f, 1, true, dioCurHolder(dio))));
  else sim.call('put_page', () => putRef(sim, f, dioCurHolder(dio), 1, `as it stops being ${dio.name}'s current page`));
}

function sendCurPage(sim: Sim, dio: Dio, file: FileObj, c: LegacyCursor): void {
  const cur = dio.cur!;
  if (c.bio) {
    // Both must follow on: the disk block, and the file offset (logical_offset_in_bio + bi_size).
    const bioNext = c.bioFsOffset + bioBytes(c.bio);
    const diskGap = c.finalBlockInBio !== c.curBlock;
    if (diskGap || c.curFsOffset !== bioNext) {
      const bio = c.bio;
      sim.emit('dio', () => ({
        text: diskGap
          ? `The current page is not contiguous on disk with ${bio.name}: that bio is submitted first.`
          : `The current page stands for file offset ${c.curFsOffset}, but ${bio.name} ends at file offset ${bioNext}: not contiguous in the file, so ${bio.name} is submitted first.`,
        dio: dio.id,
      }));
      sim.call('dio_bio_submit', () => dioBioSubmit(sim, dio, c));
    }
  }
  // bio_add_page merges before it checks bio_full: a full bio still takes a segment that extends its last bvec.
  const hold = dio.isPinned ? 'pin' : 'get';
  if (c.bio && c.bio.bvecs.length >= BIO_MAX_VECS && !bioMerges(c.bio, folioOf(sim, cur.folio), cur.page, cur.offset, hold)) {
    sim.call('dio_bio_submit', () => dioBioSubmit(sim, dio, c));
  }
  if (!c.bio) {
    c.bio = sim.call('dio_new_bio', () =>
      sim.call('dio_bio_alloc', () =>
        newBio(sim, {
          op: dio.op,
          file: file.name,
          sector: (c.curBlock * c.unit) / SECTOR_SIZE,
          endIo: dio.async ? 'dio_bio_end_aio' : 'dio_bio_end_io',
          pinned: dio.isPinned,
          noPageRef: false,
          dirtyAtCompletion: dio.shouldDirty,
          checkDirty: dio.async && dio.shouldDirty,
          zeroing: false,
          dio: dio.id,
        }),
      ),
    );
    sim.journal.set(dio, 'bios', [...dio.bios, c.bio.id]);
    c.bioFsOffset = c.curFsOffset;
  }
  const bio = c.bio;
  const f = folioOf(sim, cur.folio);
  sim.call('dio_bio_add_page', () => {
    bioAddPage(sim, bio, f, cur.page, cur.offset, cur.len, dio.isPinned ? 'pin' : 'get');
    if (dio.isPinned) sim.call('dio_pin_page', () => folioAddPin(sim, f, bioHolder(bio)));
    else sim.call('get_page', () => getRef(sim, f, bioHolder(bio), 1, `for ${bio.name}`));
  });
  c.finalBlockInBio = c.curBlock + cur.len / c.unit;
}

function dioBioSubmit(sim: Sim, dio: Dio, c: LegacyCursor): void {
  const bio = c.bio;
  if (!bio) return;
  sim.journal.set(dio, 'refcount', dio.refcount + 1);
  setPagesDirtyBeforeRead(sim, bio);
  submitBio(sim, bio);
  c.bio = null;
}

/** dio_cleanup(): release pages still in the queue (unpin_user_pages or put_page). */
function dioCleanup(sim: Sim, dio: Dio): void {
  if (dio.queue.length === 0) return;
  const left = dio.queue.map((q) => ({ folio: q.folio, page: q.page, va: 0 }));
  sim.journal.set(dio, 'queue', []);
  sim.emit('dio', () => ({ text: `${dio.name} releases the ${left.length} page(s) left in its queue.`, dio: dio.id }));
  releasePages(sim, left, dio.isPinned, dioQueueHolder(dio), false);
}

const AWAIT = ['__blockdev_direct_IO', 'dio_await_completion', 'dio_await_one'] as const;
const SUBMITTER = ['__blockdev_direct_IO'] as const;

export const legacyEngine: DioEngine = {
  fs: 'legacy',
  label: 'a filesystem using fs/direct-io.c',
  entry: '__blockdev_direct_IO',
  grows: true,
  submit,
  // dio_bio_end_io only queues a synchronous dio's bio and wakes the submitter, which reaps it (dio_bio_reap).
  // By the bio's end_io, not the dio: a short write waits even for bios that were allocated for async.
  reaper: (_dio, bio) => (bio.endIo === 'dio_bio_end_io' ? { context: AWAIT, fn: 'dio_bio_complete', dropContext: SUBMITTER } : undefined),
  // dio_bio_end_aio releases through dio_bio_complete in the end_io itself.
  endIoReleaseFn: (_dio, bio) => (bio.endIo === 'dio_bio_end_aio' ? 'dio_bio_complete' : undefined),
  // A short write's submitter waited for its bios and completes the dio itself, whatever their end_io.
  completion: (dio) => (dio.fallbackBytes > 0 ? { fn: 'dio_complete', inTask: SUBMITTER } : { fn: 'dio_complete' }),
  afterFinish: (sim, dio) => {
    if (dio.fallbackBytes > 0) bufferedFallback(sim, dio);
  },
};
