// The iomap engine (ext4, xfs): one extent at a time, bios filled by bio_iov_iter_get_pages, zeroing bios for
// the uncovered parts of new blocks, holes read as zeros copied into user memory.
// Kernel: fs/iomap/direct-io.c (iomap_dio_rw, iomap_dio_bio_iter, iomap_dio_zero, iomap_dio_hole_iter,
// iomap_dio_bio_end_io, iomap_dio_complete).

import type { Sim } from '../sim';
import type { Dio, FileObj, Mm } from '../state';
import { PAGE_SIZE, SECTOR_SIZE } from '../state';
import { getRef } from '../folio';
import { bioAddPage, bioHolder, newBio, submitBio } from '../block';
import { hex, lookup } from '../mm';
import { handleFault } from '../fault';
import { ERRNO } from '../events';
import type { DioEngine, DioRange } from './engine';
import { allocateBlocks } from './blocks';
import { bioIovIterGetPages, type BioIterSpec } from './bioiter';

const BIO_SPEC: BioIterSpec = { endIo: 'iomap_dio_bio_end_io', checkDirty: false, submitFn: 'iomap_dio_submit_bio' };

function submit(sim: Sim, dio: Dio, { file, mm, bufVa, foff, len }: DioRange): void {
  const bs = file.blocksize;
  const end = foff + len;
  let pos = foff;
  let userVa = bufVa;
  // IOMAP_DIO_DIRTY: a read into user memory dirties the pages at submission and checks them at completion.
  const spec: BioIterSpec = { ...BIO_SPEC, checkDirty: dio.shouldDirty };
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
    // need_zeroout: new blocks have nothing valid around the data, so both sides are zeroed. A write that
    // ends at or beyond EOF also zeroes the rest of its last block (stale data there would show through mmap).
    const needZeroout = dio.op === 'write' && isNew;
    const sectorAt = (p: number) => file.blocks.get(Math.floor(p / bs))! + (p % bs) / SECTOR_SIZE;
    sim.call('iomap_dio_bio_iter', () => {
      const pad = pos % bs;
      if (needZeroout && pad) iomapDioZero(sim, dio, file, sectorAt(pos - pad), pad);
      while (pos < extentEnd) {
        const got = bioIovIterGetPages(sim, dio, file, mm, userVa, extentEnd - pos, sectorAt(pos), spec);
        if (got <= 0) {
          sim.journal.set(dio, 'result', dio.result > 0 ? dio.result : got || -ERRNO.EFAULT!);
          pos = end;
          return;
        }
        sim.journal.set(dio, 'result', dio.result + got);
        pos += got;
        userVa += got;
      }
      const tail = pos % bs;
      if ((needZeroout || (dio.op === 'write' && pos >= file.size)) && tail) iomapDioZero(sim, dio, file, sectorAt(pos), bs - tail);
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

export const iomapEngine: DioEngine = {
  fs: 'iomap',
  label: 'an iomap filesystem',
  entry: 'iomap_dio_rw',
  grows: true,
  submit,
  // iomap_dio_bio_end_io releases the pages itself, in interrupt context, whether or not anyone waits.
  reaper: () => undefined,
  endIoReleaseFn: () => undefined,
  completion: (dio) => (dio.async ? { fn: 'iomap_dio_complete' } : { fn: 'iomap_dio_complete', inTask: ['__iomap_dio_rw'] }),
};
