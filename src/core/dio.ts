// Direct I/O engines: the legacy fs/direct-io.c, iomap (ext4/xfs style) and the raw block device; and the
// end_io paths that run when the device completes a bio.
// Kernel: fs/direct-io.c (__blockdev_direct_IO, do_direct_IO, dio_refill_pages, submit_page_section,
// dio_send_cur_page, dio_bio_add_page, dio_zero_block, dio_bio_complete, dio_complete), fs/iomap/direct-io.c
// (iomap_dio_bio_iter, iomap_dio_zero, iomap_dio_bio_end_io), block/fops.c (__blkdev_direct_IO*).

import type { Sim } from './sim';
import type { Bio, Dio, FileObj, HandlePage, Mm, QueuedPage } from './state';
import { PAGE_SIZE, SECTOR_SIZE } from './state';
import { folioName, folioOf, getRef, putRef } from './folio';
import { folioAddPin, gup, gupPutFolio, releasePages, type GupFlags } from './gup';
import { BIO_MAX_VECS, bioAddPage, bioCheckPagesDirty, bioHolder, bioPut, bioReleasePages, newBio, runDeferredDirtyWork, setPagesDirtyBeforeRead, submitBio } from './block';
import { currentTask, hex, lookup, mmOf } from './mm';
import { handleFault } from './fault';
import { ERRNO } from './events';

export interface DioRequest {
  dir: 'read' | 'write';
  file: string;
  foff: number;
  len: number;
  mapping: string;
  bufoff: number;
  async: boolean;
}

const DIO_PAGES = 64;

export function dioQueueHolder(dio: Dio): string {
  return `dioq:${dio.name}`;
}
export function dioCurHolder(dio: Dio): string {
  return `diocur:${dio.name}`;
}

/** Allocate the blocks [firstBlock, lastBlock] of `file` on the device, contiguously. */
function allocateBlocks(sim: Sim, file: FileObj, firstBlock: number, lastBlock: number, atCreation = false): void {
  const sectorsPerBlock = file.blocksize / SECTOR_SIZE;
  let fresh = 0;
  for (let b = firstBlock; b <= lastBlock; b++) {
    if (file.blocks.has(b)) continue;
    const sector = sim.state.counters.diskBlock;
    sim.journal.set(sim.state.counters, 'diskBlock', sector + sectorsPerBlock);
    sim.journal.mapSet(file.blocks, b, sector);
    fresh++;
  }
  if (fresh > 0 && !atCreation) {
    sim.emit('file', () => ({ text: `The filesystem allocates ${fresh} new block${fresh === 1 ? '' : 's'} of ${file.blocksize} bytes for ${file.name} (blocks ${firstBlock}–${lastBlock}); they are "new": nothing on disk there is valid yet.` }));
  }
}

/** Create a file on the simulated device. */
export function createFile(sim: Sim, name: string, size: number, fs: FileObj['fs'], blocksize: number, holes: boolean): FileObj {
  if (sim.state.files.has(name)) sim.error(`file "${name}" already exists`);
  const file: FileObj = { name, size, fs, blocksize, blocks: new Map(), cache: new Map(), shmem: false };
  sim.journal.insertNew(sim.state.files, name, file);
  sim.emit('file', () => ({
    text: `File ${name}: ${size} bytes on ${fs === 'legacy' ? 'a filesystem using fs/direct-io.c' : fs === 'iomap' ? 'an iomap filesystem' : 'the raw block device'}, ${blocksize}-byte blocks${holes ? ', no blocks allocated yet (holes)' : ''}.`,
  }));
  if (fs === 'blockdev') {
    // The raw device: file offset = device offset, so block b starts at sector b * blocksize / 512.
    for (let b = 0; b < Math.ceil(size / blocksize); b++) sim.journal.mapSet(file.blocks, b, (b * blocksize) / SECTOR_SIZE);
  } else if (!holes && size > 0) {
    allocateBlocks(sim, file, 0, Math.ceil(size / blocksize) - 1, true);
  }
  return file;
}

function userPagesOf(bufVa: number, len: number): number {
  return Math.floor((bufVa + len - 1) / PAGE_SIZE) - Math.floor(bufVa / PAGE_SIZE) + 1;
}

/** pread/pwrite with O_DIRECT. Builds and submits bios; leaves them in flight. */
export function directIo(sim: Sim, req: DioRequest): Dio {
  const task = currentTask(sim);
  const mm = mmOf(sim, task);
  const vma = mm.vmas.get(req.mapping);
  if (!vma) sim.error(`no mapping "${req.mapping}" in task ${task.name}`);
  const file = sim.state.files.get(req.file);
  if (!file) sim.error(`no file "${req.file}" (declare it with: file ${req.file} SIZE)`);
  if (req.bufoff + req.len > vma.size) sim.error(`the buffer (${req.bufoff}+${req.len}) runs past the end of "${req.mapping}" (${vma.size} bytes)`);
  const id = sim.state.counters.dio;
  sim.journal.set(sim.state.counters, 'dio', id + 1);
  const bufVa = vma.start + req.bufoff;
  const extending = req.dir === 'write' && req.foff + req.len > file.size;
  const dio: Dio = {
    id,
    name: `dio#${id}`,
    engine: file.fs,
    op: req.dir,
    file: file.name,
    task: task.name,
    // Size-extending writes are always waited for (is_sync_kiocb || extending write in the legacy engine).
    async: req.async && !extending,
    isPinned: sim.policy.dio === 'pin',
    shouldDirty: req.dir === 'read',
    refcount: 1,
    queue: [],
    cur: null,
    bios: [],
    state: 'building',
    result: 0,
    foff: req.foff,
    len: req.len,
  };
  sim.journal.insertNew(sim.state.dios, id, dio);
  const entry = file.fs === 'legacy' ? '__blockdev_direct_IO' : file.fs === 'iomap' ? 'iomap_dio_rw' : '__blkdev_direct_IO';
  const syscall = req.dir === 'read' ? 'ksys_pread64' : 'ksys_pwrite64';
  sim.inContext([syscall], () =>
    sim.call(entry, () => {
      sim.emit('dio', () => ({
        text: `${task.name} starts an O_DIRECT ${req.dir} of ${req.len} bytes ${req.dir === 'read' ? 'from' : 'to'} ${file.name} at offset ${req.foff} ${req.dir === 'read' ? 'into' : 'from'} "${req.mapping}"${req.bufoff ? `+${req.bufoff}` : ''} (${dio.name}, ${dio.async ? 'async' : 'synchronous'}${extending ? ', extends the file' : ''}).`,
        dio: id,
        task: task.name,
      }));
      if (req.foff % SECTOR_SIZE || req.len % SECTOR_SIZE || bufVa % SECTOR_SIZE) {
        finishDio(sim, dio, -ERRNO.EINVAL!, 'the offset, length or buffer is not aligned to the 512-byte logical block size');
        return;
      }
      let len = req.len;
      if (req.dir === 'read') len = Math.max(0, Math.min(req.len, file.size - req.foff));
      if (len === 0) {
        finishDio(sim, dio, 0, 'nothing to read at or beyond end of file');
        return;
      }
      if (file.fs === 'legacy') legacyEngine(sim, dio, file, mm, bufVa, req.foff, len);
      else iomapEngine(sim, dio, file, mm, bufVa, req.foff, len);
      afterSubmission(sim, dio);
    }),
  );
  return dio;
}

function afterSubmission(sim: Sim, dio: Dio): void {
  if (dio.state === 'done' || dio.state === 'fallback') return;
  if (dio.bios.length === 0) {
    finishDio(sim, dio, dio.result, 'no bio was needed');
    return;
  }
  sim.journal.set(dio, 'state', 'inflight');
  if (dio.async) {
    // The submitter drops its own dio reference and returns -EIOCBQUEUED; the last bio completes the dio.
    sim.journal.set(dio, 'refcount', dio.refcount - 1);
    sim.emit('dio', () => ({ text: `${dio.name} is in flight; the async call returns -EIOCBQUEUED and ${dio.task} goes on running.`, dio: dio.id }));
  } else {
    const task = sim.state.tasks.get(dio.task)!;
    sim.journal.set(task, 'waitingOn', dio.id);
    sim.emit('dio', () => ({ text: `${dio.task} sleeps in the kernel until the device completes ${dio.bios.map((b) => sim.state.bios.get(b)!.name).join(', ')}.`, dio: dio.id, task: dio.task }));
  }
}

function finishDio(sim: Sim, dio: Dio, result: number, why: string): void {
  sim.journal.set(dio, 'result', result);
  sim.journal.set(dio, 'state', result === -ERRNO.ENOTBLK! ? 'fallback' : 'done');
  sim.emit('dio', () => ({ text: `${dio.name} ends with ${result < 0 ? Object.entries(ERRNO).find(([, n]) => -n === result)?.[0] ?? result : `${result} bytes`}: ${why}.`, dio: dio.id }));
}

// ---- the legacy engine (fs/direct-io.c) --------------------------------------------------------------------

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
  finalBlockInBio: number;
  bio: Bio | null;
  /** User pages not yet extracted. */
  nextUserVa: number;
  userEnd: number;
  pageErrors: number;
}

function legacyEngine(sim: Sim, dio: Dio, file: FileObj, mm: Mm, bufVa: number, foff: number, len: number): void {
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
    finalBlockInBio: -1,
    bio: null,
    nextUserVa: bufVa,
    userEnd: bufVa + len,
    pageErrors: 0,
  };
  const result = sim.call('do_direct_IO', () => doDirectIo(sim, dio, file, mm, c));
  if (result === -ERRNO.ENOTBLK! && dio.bios.length === 0) {
    dioCleanup(sim, dio);
    finishDio(sim, dio, result, 'a write into a hole inside the file: the legacy engine gives up and the write falls back to buffered I/O');
    return;
  }
  if (result < 0 && result !== -ERRNO.ENOTBLK!) {
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
      sim.emit('file', () => ({ text: `get_block finds a hole at block ${fsBlock} inside ${file.name}'s size and, with DIO_SKIP_HOLES, does not allocate: the write returns -ENOTBLK.` }));
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
  if (c.bio && c.finalBlockInBio !== c.curBlock) {
    sim.emit('dio', () => ({ text: `The current page is not contiguous on disk with ${c.bio!.name}: that bio is submitted first.`, dio: dio.id }));
    sim.call('dio_bio_submit', () => dioBioSubmit(sim, dio, c));
  }
  if (c.bio && c.bio.bvecs.length >= BIO_MAX_VECS) sim.call('dio_bio_submit', () => dioBioSubmit(sim, dio, c));
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

// ---- iomap and the raw block device ----------------------------------------------------------------------

function iomapEngine(sim: Sim, dio: Dio, file: FileObj, mm: Mm, bufVa: number, foff: number, len: number): void {
  const bs = file.blocksize;
  const end = foff + len;
  let pos = foff;
  let userVa = bufVa;
  const blockdev = file.fs === 'blockdev';
  const iterFn = blockdev ? (dio.async ? '__blkdev_direct_IO_async' : '__blkdev_direct_IO_simple') : 'iomap_dio_bio_iter';
  while (pos < end) {
    const fsBlock = Math.floor(pos / bs);
    let isNew = false;
    if (!file.blocks.has(fsBlock)) {
      if (dio.op === 'read') {
        const holeEnd = Math.min(end, (fsBlock + 1) * bs);
        sim.call('iomap_dio_hole_iter', () => sim.call('iov_iter_zero', () => zeroUserRange(sim, mm, userVa, holeEnd - pos)));
        userVa += holeEnd - pos;
        pos = holeEnd;
        continue;
      }
      const lastBlock = Math.floor((end - 1) / bs);
      let stop = fsBlock;
      while (stop + 1 <= lastBlock && !file.blocks.has(stop + 1)) stop++;
      sim.call('iomap_begin', () => allocateBlocks(sim, file, fsBlock, stop));
      isNew = true;
    }
    // The extent: contiguous blocks of the same kind.
    const lastBlock = Math.floor((end - 1) / bs);
    let run = fsBlock;
    while (run + 1 <= lastBlock && file.blocks.get(run + 1) === file.blocks.get(run)! + bs / SECTOR_SIZE) run++;
    const extentEnd = Math.min(end, (run + 1) * bs);
    const needZero = !blockdev && dio.op === 'write' && (isNew || extentEnd > file.size);
    const sectorAt = (p: number) => file.blocks.get(Math.floor(p / bs))! + (p % bs) / SECTOR_SIZE;
    sim.call(iterFn, () => {
      const pad = pos % bs;
      if (needZero && pad) iomapDioZero(sim, dio, file, sectorAt(pos - pad), pad);
      while (pos < extentEnd) {
        const bytes = Math.min(extentEnd - pos, BIO_MAX_VECS * PAGE_SIZE - (userVa % PAGE_SIZE));
        const got = bioIovIterGetPages(sim, dio, file, mm, userVa, bytes, sectorAt(pos));
        if (got <= 0) {
          sim.journal.set(dio, 'result', dio.result > 0 ? dio.result : got || -ERRNO.EFAULT!);
          pos = end;
          return;
        }
        sim.journal.set(dio, 'result', dio.result + got);
        pos += got;
        userVa += got;
      }
      const tail = extentEnd % bs;
      if (needZero && tail && extentEnd === end) iomapDioZero(sim, dio, file, sectorAt(extentEnd), bs - tail);
    });
  }
}

/** iov_iter_zero into user memory for a hole: the CPU stores zeros, so read-only PTEs take write faults. */
function zeroUserRange(sim: Sim, mm: Mm, va: number, len: number): void {
  const first = Math.floor(va / PAGE_SIZE);
  const last = Math.floor((va + len - 1) / PAGE_SIZE);
  for (let p = first; p <= last; p++) {
    const addr = p * PAGE_SIZE;
    const m = lookup(sim, mm, addr);
    const writable = m ? (m.pte ? m.pte.rw : m.pmd!.rw) : false;
    if (!writable) {
      const vma = mm.vmas.get([...mm.vmas.values()].find((v) => addr >= v.start && addr < v.start + v.size)?.name ?? '');
      if (vma) handleFault(sim, mm, vma, addr, 'write');
    }
  }
  sim.emit('dio', () => ({ text: `The range ${hex(va)}+${len} reads a hole: the kernel copies zeros into the user buffer instead of doing I/O.`, task: mm.owner, va }));
}

/** bio_iov_iter_get_pages(): one bio for up to BIO_MAX_VECS pages of user memory; returns bytes added. */
function bioIovIterGetPages(sim: Sim, dio: Dio, file: FileObj, mm: Mm, va: number, bytes: number, sector: number): number {
  const blockdevSync = file.fs === 'blockdev' && !dio.async;
  const bio = newBio(sim, {
    op: dio.op,
    file: file.name,
    sector,
    endIo: file.fs === 'blockdev' ? (dio.async ? 'blkdev_bio_end_io_async' : 'submit_bio_wait_endio') : 'iomap_dio_bio_end_io',
    pinned: dio.isPinned,
    noPageRef: false,
    dirtyAtCompletion: dio.shouldDirty,
    // iomap's IOMAP_DIO_DIRTY and blkdev's DIO_SHOULD_DIRTY dirty at submission; the simple sync blkdev path
    // dirties at release instead.
    checkDirty: dio.shouldDirty && !blockdevSync,
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
  if (file.fs === 'blockdev') submitBio(sim, bio);
  else sim.call('iomap_dio_submit_bio', () => submitBio(sim, bio));
  return added;
}

/** iomap_dio_zero(): a separate bio writing zeros from the zero page; before v6.5 it took a reference. */
function iomapDioZero(sim: Sim, dio: Dio, file: FileObj, sector: number, len: number): void {
  sim.call('iomap_dio_zero', () => {
    const zero = sim.state.folios.get(sim.state.zeroFolio)!;
    const bio = newBio(sim, { op: 'write', file: file.name, sector, endIo: 'iomap_dio_bio_end_io', pinned: false, noPageRef: false, dirtyAtCompletion: false, checkDirty: false, zeroing: true, dio: dio.id });
    sim.journal.set(dio, 'bios', [...dio.bios, bio.id]);
    const takesRef = sim.policy.dio === 'get';
    if (takesRef) sim.call('get_page', () => getRef(sim, zero, bioHolder(bio), 1, `for the zeroing ${bio.name}`));
    bioAddPage(sim, bio, zero, 0, 0, len, takesRef ? 'get' : 'none');
    sim.emit('bio', () => ({
      text: `${bio.name} writes ${len} bytes of zeros around the data in a new block, straight from the zero page${takesRef ? ' (with a reference, put at completion)' : '; it is never BIO_PAGE_PINNED, so no reference is taken and none is released'}.`,
      bio: bio.id,
      folio: zero.id,
    }));
    sim.journal.set(dio, 'refcount', dio.refcount + 1);
    sim.call('iomap_dio_submit_bio', () => submitBio(sim, bio));
  });
}

// ---- completion ------------------------------------------------------------------------------------------

/** Whether the submitting task, not the interrupt, releases this bio's pages (it waits and reaps). */
function reapedByTask(bio: Bio, dio: Dio | undefined): dio is Dio {
  return dio !== undefined && (bio.endIo === 'dio_bio_end_io' || bio.endIo === 'submit_bio_wait_endio');
}

/** The device completes `bio`: run its end_io, and complete the dio when its last bio is done. */
export function completeBio(sim: Sim, bio: Bio): void {
  const dio = bio.dio !== undefined ? sim.state.dios.get(bio.dio) : undefined;
  sim.inContext(['blk_mq_end_request', 'blk_update_request', 'bio_endio'], () => {
    sim.journal.set(bio, 'state', 'completed');
    sim.call(bio.endIo, () => {
      sim.emit('bio', () => ({ text: `The device completes ${bio.name}; ${bio.endIo} runs in interrupt context.`, bio: bio.id, dio: bio.dio }));
      if (reapedByTask(bio, dio)) {
        sim.emit('task', () => ({ text: `${bio.name} is handed to ${dio.task}, which was sleeping on it: ${dio.task} wakes up and releases the pages itself.`, bio: bio.id, task: dio.task }));
        return;
      }
      releaseAtCompletion(sim, bio);
      if (dio) dropDioRef(sim, dio);
    });
  });
  if (reapedByTask(bio, dio)) {
    // The woken submitter releases the pages in process context.
    const legacy = bio.endIo === 'dio_bio_end_io';
    sim.inContext(legacy ? ['__blockdev_direct_IO', 'dio_await_completion', 'dio_await_one'] : ['__blkdev_direct_IO_simple'], () => {
      const release = () => {
        bioReleasePages(sim, bio, dio.shouldDirty);
        bioPut(sim, bio);
      };
      if (legacy) sim.call('dio_bio_complete', release);
      else release();
    });
    sim.inContext([legacy ? '__blockdev_direct_IO' : '__blkdev_direct_IO_simple'], () => dropDioRef(sim, dio));
  }
}

function releaseAtCompletion(sim: Sim, bio: Bio): void {
  const fn = bio.endIo === 'dio_bio_end_aio' ? 'dio_bio_complete' : undefined;
  const body = () => {
    if (bio.checkDirty) bioCheckPagesDirty(sim, bio);
    else {
      bioReleasePages(sim, bio, bio.dirtyAtCompletion);
      bioPut(sim, bio);
    }
  };
  if (fn) sim.call(fn, body);
  else body();
}

function dropDioRef(sim: Sim, dio: Dio): void {
  sim.journal.set(dio, 'refcount', dio.refcount - 1);
  const inflight = dio.bios.some((b) => {
    const s = sim.state.bios.get(b)?.state;
    return s === 'submitted' || s === 'building';
  });
  if (inflight) return;
  // The synchronous submitter holds the last reference and drops it once woken.
  if (!dio.async) sim.journal.set(dio, 'refcount', 0);
  if (dio.refcount > 0) return;
  const task = sim.state.tasks.get(dio.task);
  if (!dio.async && dio.engine === 'iomap' && task?.waitingOn === dio.id) {
    // iomap's end_io released the pages in interrupt context; the woken task completes the dio itself.
    sim.emit('task', () => ({ text: `The last bio of ${dio.name} is done: ${dio.task} wakes up and completes the dio in its own context.`, task: dio.task, dio: dio.id }));
    sim.inContext(['__iomap_dio_rw'], () => sim.call('iomap_dio_complete', () => finishSync(sim, dio)));
    return;
  }
  // The simple synchronous block-device path has no dio to complete: the system call just returns.
  const completeFn = dio.engine === 'legacy' ? 'dio_complete' : dio.engine === 'iomap' ? 'iomap_dio_complete' : dio.async ? 'ki_complete' : undefined;
  if (completeFn) sim.call(completeFn, () => finishSync(sim, dio));
  else finishSync(sim, dio);
}

/** The file grows for an extending write, the dio ends, and a waiting submitter returns. */
function finishSync(sim: Sim, dio: Dio): void {
  const file = sim.state.files.get(dio.file)!;
  if (dio.op === 'write') {
    const ioEnd = dio.foff + Math.max(0, dio.result);
    if (ioEnd > file.size) {
      sim.journal.set(file, 'size', ioEnd);
      sim.emit('file', () => ({ text: `${file.name} grows to ${ioEnd} bytes.` }));
    }
  }
  finishDio(sim, dio, dio.result, 'every bio has completed');
  const task = sim.state.tasks.get(dio.task);
  if (task && task.waitingOn === dio.id) {
    sim.journal.set(task, 'waitingOn', undefined);
    sim.emit('task', () => ({ text: `${dio.task} returns from the ${dio.op} system call.`, task: dio.task }));
  }
}

/** `complete BIO|all`: complete bios in submission order, then let deferred dirtying work run. */
export function completeBios(sim: Sim, which: string | undefined): void {
  const submitted = [...sim.state.bios.values()].filter((b) => b.state === 'submitted').sort((a, b) => a.id - b.id);
  let targets = submitted;
  if (which !== undefined && which !== 'all') {
    const bio = [...sim.state.bios.values()].find((b) => b.name === which);
    if (!bio) sim.error(`no bio "${which}"${submitted.length ? ` (in flight: ${submitted.map((b) => b.name).join(', ')})` : ' (nothing is in flight)'}`);
    if (bio.state !== 'submitted') sim.error(`${which} is not in flight (it is ${bio.state})`);
    targets = [bio];
  }
  if (targets.length === 0) {
    sim.emit('bio', () => ({ text: 'No bio is in flight: nothing to complete.' }));
    return;
  }
  for (const bio of targets) completeBio(sim, bio);
  runDeferredDirtyWork(sim);
}
