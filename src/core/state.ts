// The simulator's state: plain objects, Maps and Int32Arrays, mutated only through the Journal.
// Objects refer to each other by id, never by reference, so the state is a tree that can be diffed.
// Values held in Maps or fields as arrays (`Pte`, `Hold`, `Bvec[]`, ...) are immutable: replace, never edit.

import { holder } from './holders';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PMD_SIZE = 2 * 1024 * 1024;
export const PMD_ORDER = 9;
export const GUP_PIN_COUNTING_BIAS = 1024;
export const SECTOR_SIZE = 512;

export type FolioKind = 'anon' | 'file' | 'zero' | 'hugezero';

/** What one holder contributes to one folio: `refs` to the refcount, `pins` to the pin accounting. */
export interface Hold {
  readonly refs: number;
  /** Pins held: added to `_pincount` for large folios; for small ones each pin is 1024 of `refs`. */
  readonly pins: number;
}

export interface Folio {
  id: number;
  kind: FolioKind;
  order: number;
  pfn: number;
  /** `_refcount`, a signed 32-bit value that wraps like the kernel's atomic_t. */
  refcount: number;
  /** Per-page `_mapcount`, starting at -1 (unmapped). */
  mapcount: Int32Array;
  /** Large folios: `_large_mapcount` and `_entire_mapcount`, both starting at -1. */
  largeMapcount: number;
  entireMapcount: number;
  /** Large folios: `_pincount`. */
  pincount: number;
  /** Per-page PageAnonExclusive (0 or 1). */
  anonExclusive: Int32Array;
  dirty: boolean;
  reserved: boolean;
  locked: boolean;
  freed: boolean;
  /** Page cache identity for file/memfd folios. */
  file?: string;
  index?: number;
  /** Who holds each reference: holder key → contribution. */
  holds: Map<string, Hold>;
  /** The sums of `holds` (refs and pins), kept with them so the invariant check is O(1) per folio. */
  heldRefs: number;
  heldPins: number;
}

export interface Pte {
  readonly folio: number;
  readonly page: number;
  readonly rw: boolean;
  readonly dirty: boolean;
  readonly accessed: boolean;
  readonly special: boolean;
}

export interface PmdLeaf {
  readonly folio: number;
  readonly rw: boolean;
  readonly dirty: boolean;
  readonly accessed: boolean;
  readonly special: boolean;
}

export type Backing = 'anon' | 'file' | 'memfd';

export interface Vma {
  name: string;
  start: number;
  size: number;
  backing: Backing;
  file?: string;
  shared: boolean;
  writable: boolean;
  thp: boolean;
  /**
   * vma->anon_vma: set by anon_vma_prepare() on the first fault that creates an anon page here (a write fault,
   * COW or unshare, any PMD fault of a THP range), inherited by a fork child (anon_vma_fork). Fork copies the
   * page tables of a VMA only when it has one (vma_needs_copy); a read-only zero-page mapping has none.
   */
  anonVma: boolean;
  /**
   * Ranges that a partial mprotect() gave another protection than `writable` (the kernel splits the VMA there;
   * pinscope keeps one named mapping). Later entries win.
   */
  prot: readonly ProtRange[];
  /** VM_DONTCOPY (MADV_DONTFORK): fork leaves this VMA out of the child. */
  dontCopy: boolean;
  /** VM_WIPEONFORK (MADV_WIPEONFORK): the child gets the VMA empty, without an anon_vma. */
  wipeOnFork: boolean;
}

export interface ProtRange {
  readonly start: number;
  readonly end: number;
  readonly writable: boolean;
}

export interface Mm {
  id: number;
  owner: string;
  vmas: Map<string, Vma>;
  /** PTEs by virtual page number. */
  ptes: Map<number, Pte>;
  /** PMD leaves (THP, huge zero folio) by `va >> 21`. */
  pmds: Map<number, PmdLeaf>;
  /** Allocated page-table pages, keyed by level and the index path above them ("pte:254/0/5"). */
  tables: Map<string, number>;
  /** MMF_HAS_PINNED: set once any FOLL_PIN was taken on this mm. */
  hasPinned: boolean;
  /** MMF_HUGE_ZERO_PAGE: this mm holds a reference on the huge zero folio. */
  hugeZeroRef: boolean;
  nextVa: number;
}

export interface Task {
  name: string;
  mm: number;
  alive: boolean;
  /** A synchronous dio this task is blocked on. */
  waitingOn?: number;
}

export interface FileObj {
  name: string;
  size: number;
  fs: 'legacy' | 'iomap' | 'blockdev';
  /** The filesystem by name when it is more than its engine (src/core/filesystems.ts). */
  filesystem?: 'legacy' | 'iomap' | 'blockdev' | 'udf' | 'fat' | 'ext2-legacy';
  blocksize: number;
  /** File block index → disk block number (in units of blocksize). */
  blocks: Map<number, number>;
  /** Page cache: page index → folio id. */
  cache: Map<number, number>;
  shmem: boolean;
}

export interface HandlePage {
  readonly folio: number;
  readonly page: number;
  readonly va: number;
}

export type HandleKind = 'pin' | 'get' | 'vfio' | 'pipe' | 'uring' | 'pvm';

export interface Handle {
  name: string;
  kind: HandleKind;
  /** Auto-numbered handles (pin#1 ...): the first number; identical calls of one statement share a handle. */
  autoFirst?: number;
  /** How many calls this handle stands for. */
  calls: number;
  /**
   * True for an auto group of identical calls: `pages` is one call's pages, taken `calls` times.
   * False for a single call or a named handle that accumulated calls: `pages` lists everything taken.
   */
  perCall: boolean;
  task: string;
  mm: number;
  vma: string;
  off: number;
  len: number;
  write: boolean;
  longterm: boolean;
  fast: boolean;
  /** Pages taken (see `perCall`). */
  pages: readonly HandlePage[];
  /** Pages returned by the last call or negative errno. */
  result: number;
  released: boolean;
  /** The statement (line) that created it; auto handles group only consecutive calls of one statement. */
  line: number;
  /** Pipes: pipe->max_usage, the number of buffers (one page each for vmsplice). */
  capacity?: number;
  /** Pipes: what the last vmsplice() returned, bytes or a negative errno. */
  bytes?: number;
}

/** `label NAME MAPPING+OFF`: a folio followed by name, whatever maps it later; `kind` survives its freeing. */
export interface FolioLabel {
  readonly folio: number;
  readonly page: number;
  readonly kind: FolioKind;
}

export interface Bvec {
  readonly folio: number;
  readonly page: number;
  readonly offset: number;
  readonly len: number;
  /** Whether the bio holds a reference (get), a pin, or nothing on these pages. */
  readonly hold: 'get' | 'pin' | 'none';
}

export type BioState = 'building' | 'submitted' | 'completed' | 'released';

export interface Bio {
  id: number;
  name: string;
  op: 'read' | 'write';
  file: string;
  sector: number;
  bvecs: readonly Bvec[];
  pinned: boolean;
  /** BIO_NO_PAGE_REF (before v6.5): completion does not put the pages. */
  noPageRef: boolean;
  state: BioState;
  dio?: number;
  /** Which end_io runs at completion. */
  endIo: 'dio_bio_end_io' | 'dio_bio_end_aio' | 'iomap_dio_bio_end_io' | 'submit_bio_wait_endio' | 'blkdev_bio_end_io_async' | 'blkdev_bio_end_io';
  /** Completion must dirty the pages (a read into user memory). */
  dirtyAtCompletion: boolean;
  /** Pages were dirtied at submission; completion checks them (bio_check_pages_dirty). */
  checkDirty: boolean;
  /** Waiting in bio_dirty_list for the deferred re-dirty work. */
  deferred: boolean;
  zeroing: boolean;
}

export interface QueuedPage {
  readonly folio: number;
  readonly page: number;
  /** The byte range of this page the request covers. */
  readonly from: number;
  readonly to: number;
}

export interface Dio {
  id: number;
  name: string;
  engine: 'legacy' | 'iomap' | 'blockdev';
  op: 'read' | 'write';
  file: string;
  task: string;
  async: boolean;
  isPinned: boolean;
  shouldDirty: boolean;
  /** dio->refcount: 1 for the submitter plus one per bio in flight. */
  refcount: number;
  /** The legacy engine's page queue (pages extracted but not yet consumed). */
  queue: readonly QueuedPage[];
  /** The legacy engine's current page (sdio->cur_page). */
  cur: { folio: number; page: number; offset: number; len: number } | null;
  bios: readonly number[];
  state: 'building' | 'inflight' | 'done' | 'fallback';
  /** Bytes transferred or a negative errno. */
  result: number;
  foff: number;
  len: number;
  /** The user buffer's address. */
  bufVa: number;
  /** Bytes the caller writes through the page cache instead (the legacy engine met a hole): 0 if none. */
  fallbackBytes: number;
}

export interface Counters {
  folio: number;
  pfn: number;
  mm: number;
  bio: number;
  dio: number;
  diskBlock: number;
  pin: number;
  get: number;
  child: number;
  cpu: number;
  violations: number;
}

export interface SimState {
  counters: Counters;
  folios: Map<number, Folio>;
  tasks: Map<string, Task>;
  mms: Map<number, Mm>;
  files: Map<string, FileObj>;
  handles: Map<string, Handle>;
  bios: Map<number, Bio>;
  dios: Map<number, Dio>;
  labels: Map<string, FolioLabel>;
  /** The task that runs the next statement. */
  cur: { task: string };
  zeroFolio: number;
  hugeZeroFolio: number;
}

export const MAIN_TASK = 'main';
export const ZERO_HOLDER = holder.zeroPage();
export const HUGE_ZERO_HOLDER = holder.hugeZero();
