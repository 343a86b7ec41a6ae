// Direct I/O: the O_DIRECT read/write entry, the files it works on, and the engines behind one interface.
// legacy.ts = fs/direct-io.c, iomap.ts = fs/iomap/direct-io.c, blockdev.ts = block/fops.c,
// completion.ts = the end_io paths.

import type { Sim } from '../sim';
import type { Dio, FileObj } from '../state';
import { SECTOR_SIZE } from '../state';
import { currentTask, mmOf } from '../mm';
import { ERRNO } from '../events';
import { afterSubmission, finishDio, type DioRequest, type FsKind } from './engine';
import { ENGINES } from './engines';
import { allocateBlocks } from './blocks';
import { filesystemTakes } from '../filesystems';

export type { DioRequest, DioEngine } from './engine';
export { dioCurHolder, dioQueueHolder } from './engine';
export { completeBio, completeBios } from './completion';
export { ENGINES } from './engines';

/** Create a file on the simulated device. */
export function createFile(sim: Sim, name: string, size: number, fs: FsKind, blocksize: number, holes: boolean): FileObj {
  if (sim.state.files.has(name)) sim.error(`file "${name}" already exists`);
  // Every block of a device, or of a file without holes, gets an entry: charged before, so a huge file is
  // refused by the work budget instead of filling a map of hundreds of millions of blocks.
  if (fs === 'blockdev' || !holes) sim.charge(Math.ceil(size / blocksize));
  const file: FileObj = { name, size, fs, blocksize, blocks: new Map(), cache: new Map(), shmem: false };
  sim.journal.insertNew(sim.state.files, name, file);
  sim.emit('file', () => ({
    text: `File ${name}: ${size} bytes on ${ENGINES[fs].label}, ${blocksize}-byte blocks${holes ? ', no blocks allocated yet (holes)' : ''}.`,
  }));
  if (fs === 'blockdev') {
    // The raw device: file offset = device offset, so block b starts at sector b * blocksize / 512.
    for (let b = 0; b < Math.ceil(size / blocksize); b++) sim.journal.mapSet(file.blocks, b, (b * blocksize) / SECTOR_SIZE);
  } else if (!holes && size > 0) {
    allocateBlocks(sim, file, 0, Math.ceil(size / blocksize) - 1, true);
  }
  return file;
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
  const engine = ENGINES[file.fs];
  const id = sim.state.counters.dio;
  sim.journal.set(sim.state.counters, 'dio', id + 1);
  const bufVa = vma.start + req.bufoff;
  const extending = req.dir === 'write' && engine.grows && req.foff + req.len > file.size;
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
    bufVa,
    fallbackBytes: 0,
  };
  sim.journal.insertNew(sim.state.dios, id, dio);
  if (filesystemTakes(sim, dio, file, req)) return dio;
  const syscall = req.dir === 'read' ? 'ksys_pread64' : 'ksys_pwrite64';
  sim.inContext([syscall], () =>
    sim.call(engine.entry, () => {
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
      else if (engine.writeLimit) {
        const limit = engine.writeLimit(file, req.foff, req.len);
        if (limit < 0) {
          finishDio(sim, dio, limit, `the write starts at or past the end of ${file.name} (${file.size} bytes)`);
          return;
        }
        len = limit;
      }
      if (len === 0) {
        finishDio(sim, dio, 0, 'nothing to read at or beyond end of file');
        return;
      }
      // From here on the dio stands for what the engine is handed (a read trimmed at EOF, a write at the device end).
      if (len !== dio.len) sim.journal.set(dio, 'len', len);
      engine.submit(sim, dio, { file, mm, bufVa, foff: req.foff, len });
      afterSubmission(sim, dio);
    }),
  );
  return dio;
}
