// Filesystems by name, as data: which direct-I/O engine each one uses and what it does before the engine runs.
// `legacy`, `iomap` and `blockdev` name the engines themselves; `udf`, `fat` and `ext2-legacy` are the
// filesystems that still reach fs/direct-io.c through blockdev_direct_IO().
// Kernel: fs/udf/inode.c (udf_direct_IO), fs/fat/inode.c (fat_direct_IO), fs/ext2/inode.c (ext2_direct_IO,
// before the iomap conversion), fs/direct-io.c (__blockdev_direct_IO).

import type { FileDecl } from './ast';
import type { Sim } from './sim';
import type { Dio, FileObj } from './state';
import type { DioRequest } from './dio';
import { createFile } from './dio';
import { allocateBlocks } from './dio/blocks';

export type FsName = FileDecl['fs'];
type Engine = FileObj['fs'];

export interface Filesystem {
  readonly engine: Engine;
  /** Its address_space_operations->direct_IO (or the engine's entry for the bare engine names). */
  readonly directIo?: string;
  /** How an event names it. */
  readonly label?: string;
  /** Whether a file can have unallocated blocks inside its size. */
  readonly holes: boolean;
  /**
   * fat_direct_IO(): a write ending past the initialized size (mmu_private, here the file size) returns 0
   * before blockdev_direct_IO() runs, so the caller writes all of it through the page cache.
   */
  readonly bufferedPastSize?: boolean;
  /** The policy toggle value this filesystem needs, with the reason it is refused elsewhere. */
  readonly needs?: { toggle: 'ext2-dio'; value: 'legacy'; otherwise: string };
}

export const FILESYSTEMS: Readonly<Record<FsName, Filesystem>> = {
  legacy: { engine: 'legacy', holes: true },
  iomap: { engine: 'iomap', holes: true },
  blockdev: { engine: 'blockdev', holes: false },
  udf: { engine: 'legacy', directIo: 'udf_direct_IO', label: 'UDF', holes: true },
  fat: { engine: 'legacy', directIo: 'fat_direct_IO', label: 'FAT (vfat)', holes: false, bufferedPastSize: true },
  'ext2-legacy': {
    engine: 'legacy',
    directIo: 'ext2_direct_IO',
    label: 'ext2',
    holes: true,
    needs: { toggle: 'ext2-dio', value: 'legacy', otherwise: 'on this kernel ext2 does direct I/O through iomap (fb5de4358e1a, v6.5): use fs=iomap, or a kernel before v6.5' },
  },
};

/** `file NAME SIZE [fs=...] [blocksize=N] [holes]`. */
export function declareFile(sim: Sim, st: FileDecl): void {
  const fs = FILESYSTEMS[st.fs];
  if (fs.needs && sim.policy[fs.needs.toggle] !== fs.needs.value) sim.error(`fs=${st.fs}: ${fs.needs.otherwise}`);
  if (st.holes && !fs.holes) sim.error(`fs=${st.fs} files have no holes`);
  const file = createFile(sim, st.name, st.size, fs.engine, st.blocksize, st.holes);
  if (fs.label) {
    sim.journal.set(file, 'filesystem', st.fs);
    sim.emit('file', () => ({ text: `${file.name} is on ${fs.label}: its direct I/O goes ${fs.directIo} → blockdev_direct_IO → fs/direct-io.c.` }));
  }
}

/**
 * The filesystem's own step before the engine (the one hook the dio entry calls): true when the filesystem
 * took the request itself, e.g. FAT handing a write past its initialized size to buffered I/O.
 */
export function filesystemTakes(sim: Sim, dio: Dio, file: FileObj, req: DioRequest): boolean {
  const fs = file.filesystem ? FILESYSTEMS[file.filesystem] : undefined;
  if (!fs?.bufferedPastSize || req.dir !== 'write' || req.foff + req.len <= file.size) return false;
  const end = req.foff + req.len;
  sim.inContext(['ksys_pwrite64', '__generic_file_write_iter', 'generic_file_direct_write', fs.directIo!], () => {
    sim.emit('dio', () => ({ text: `${fs.directIo} returns 0: the write ends at ${end}, past what ${file.name} has initialized (${file.size} bytes), and blockdev_direct_IO does not zero the gap, so no page is taken and no bio is built.`, dio: dio.id }));
    sim.journal.set(dio, 'fallbackBytes', req.len);
    sim.journal.set(dio, 'state', 'fallback');
  });
  sim.inContext(['ksys_pwrite64', '__generic_file_write_iter'], () => {
    sim.call('generic_perform_write', () => allocateBlocks(sim, file, Math.floor(Math.min(req.foff, file.size) / file.blocksize), Math.floor((end - 1) / file.blocksize)));
    sim.journal.set(file, 'size', end);
    sim.journal.set(dio, 'result', req.len);
    sim.emit('file', () => ({ text: `The ${req.len} bytes go through the page cache (cont_write_begin zero-fills up to the new data); ${file.name} grows to ${end} bytes, and the write returns ${req.len}.` }));
  });
  return true;
}
