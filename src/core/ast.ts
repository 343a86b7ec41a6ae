// The scenario language v1 as data: what the parser produces, the printer prints and the simulator runs.
// The language is described in full in docs/scenario-language.md.

/** Where a statement or word starts in the source text (1-based line and column). */
export interface Pos {
  line: number;
  col: number;
}

interface Base {
  pos: Pos;
  /** Trailing `# comment` text on the same line, without the `#`, kept so the printer can round-trip it. */
  comment?: string;
}

export type MapBacking = { kind: 'anon' } | { kind: 'file'; file: string } | { kind: 'memfd' };

export interface Title extends Base { op: 'title'; text: string }
export interface Kernel extends Base { op: 'kernel'; preset: string; toggles: { name: string; value: string; pos: Pos }[] }
export interface Mmap extends Base {
  op: 'mmap';
  name: string;
  size: number;
  backing: MapBacking;
  shared: boolean;
  writable: boolean;
  thp: boolean;
}
export interface FileDecl extends Base {
  op: 'file';
  name: string;
  size: number;
  /** An engine (`legacy`, `iomap`, `blockdev`) or a filesystem that uses fs/direct-io.c (extension). */
  fs: 'legacy' | 'iomap' | 'blockdev' | 'udf' | 'fat' | 'ext2-legacy';
  blocksize: number;
  holes: boolean;
}
export interface Access extends Base { op: 'read' | 'write'; name: string; off?: number; len?: number }
export interface Munmap extends Base { op: 'munmap'; name: string }
/** `dontfork`, `dofork`, `wipeonfork`, `keeponfork` (extension) set or clear VM_DONTCOPY / VM_WIPEONFORK. */
export type MadviseAdvice = 'dontneed' | 'dontfork' | 'dofork' | 'wipeonfork' | 'keeponfork';
export interface Madvise extends Base { op: 'madvise'; name: string; advice: MadviseAdvice; off?: number; len?: number }
/** Extension: `mprotect NAME ro|rw [OFF LEN]`: mprotect(2) with PROT_READ or PROT_READ|PROT_WRITE. */
export interface Mprotect extends Base { op: 'mprotect'; name: string; writable: boolean; off?: number; len?: number }
export interface Fork extends Base { op: 'fork'; child?: string }
export interface TaskSwitch extends Base { op: 'task'; name: string }
export interface Exit extends Base { op: 'exit'; name?: string }
export interface Pin extends Base {
  op: 'pin' | 'get';
  handle?: string;
  name: string;
  off: number;
  len: number;
  write: boolean;
  longterm: boolean; // always false for `get`
  fast: boolean;
}
export interface Release extends Base { op: 'unpin' | 'put'; handle: string; dirty: boolean /* unpin only */ }
/** One iovec of a vectored dio: LEN bytes at OFF of mapping NAME. */
export interface DioIovec { name: string; off: number; len: number; pos: Pos }
export interface Dio extends Base {
  op: 'dio';
  dir: 'read' | 'write';
  file: string;
  foff: number;
  len: number;
  name: string;
  bufoff: number;
  async: boolean;
  /**
   * Extension: preadv/pwritev with these iovecs, in order (`NAME+OFF:LEN ...`); `name` and `bufoff` are then
   * the first iovec's. Absent for the one-buffer form.
   */
  iov?: DioIovec[];
}
export interface Complete extends Base { op: 'complete'; bio?: string /* "bio#3"; undefined means all */ }
export interface VfioMap extends Base { op: 'vfio-map'; handle: string; name: string; off: number; len: number; write: boolean }
export interface VfioUnmap extends Base { op: 'vfio-unmap'; handle: string }
/** `nonblock` (extension) is SPLICE_F_NONBLOCK: a full pipe gives -EAGAIN instead of a task that would sleep. */
export interface Vmsplice extends Base { op: 'vmsplice'; handle: string; name: string; off: number; len: number; nonblock: boolean }
/** Extension: `pipe NAME [size=N]`: pipe(2), and F_SETPIPE_SZ when `size` is given (bytes; default 16 pages). */
export interface PipeDecl extends Base { op: 'pipe'; name: string; size?: number }
/** Extension: `label NAME MAPPING+OFF` names the folio mapped there now, so `expect NAME.FIELD` can follow it. */
export interface Label extends Base { op: 'label'; name: string; mapping: string; offset: number }
/**
 * Extension: `pvm read|write [HANDLE] TASK NAME OFF LEN`: process_vm_readv / process_vm_writev of LEN bytes at
 * OFF in TASK's mapping NAME (the remote side; the caller's own buffer is not modelled). HANDLE keeps the result.
 */
export interface Pvm extends Base { op: 'pvm'; dir: 'read' | 'write'; handle?: string; task: string; name: string; off: number; len: number }
/** Extension: `uring register HANDLE NAME OFF LEN`: IORING_REGISTER_BUFFERS of one buffer. */
export interface UringRegister extends Base { op: 'uring-register'; handle: string; name: string; off: number; len: number }
/** Extension: `uring unregister HANDLE`: IORING_UNREGISTER_BUFFERS. */
export interface UringUnregister extends Base { op: 'uring-unregister'; handle: string }
export interface Close extends Base { op: 'close'; handle: string }
/** Extension: writeback (or reclaim) cleans the dirty folios mapped in the range, as if saved to swap/disk. */
export interface Writeback extends Base { op: 'writeback'; name: string; off?: number; len?: number }
export interface Repeat extends Base { op: 'repeat'; count: number; body: (Statement | Trivia)[]; endPos: Pos; endComment?: string }
export interface Mark extends Base { op: 'mark'; text: string }
export interface Note extends Base { op: 'note'; text: string }

/** The four views of the explorer, by the names a `show` statement uses (in the order the explorer lays them out). */
export const VIEW_NAMES = ['pagetables', 'memory', 'graph', 'blockio'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
/**
 * Presentation: `show VIEW...` or `show all` chooses the views that presentation mode shows from the next step
 * on, until the next `show`. The simulator only records the choice on the steps (Run.viewsAt).
 */
export interface Show extends Base { op: 'show'; views: 'all' | ViewName[] }

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
/** An expectation's right-hand side: a number, an error name (-ENOMEM), a boolean or a kind word. */
export type ExpectValue =
  | { type: 'number'; value: number }
  | { type: 'errno'; name: string }
  | { type: 'bool'; value: boolean }
  | { type: 'word'; value: string };
export interface Expect extends Base {
  op: 'expect';
  /**
   * `zero`, `hugezero`, `violations`, `leaks`, `NAME+OFF` (subject "NAME", offset set), a label, a handle,
   * `dio#N`, `bio#N`. PTE bits of NAME+OFF have a field `pte.BIT` (`pte.writable`, ...).
   */
  subject: string;
  offset?: number;
  field?: string;
  cmp: CompareOp;
  value: ExpectValue;
  /** The statement's source text, trimmed, without its comment (for reports). */
  text: string;
  /**
   * Extension: `on SELECTOR...`: check only on kernels matching every selector (a preset `v6.4`, a comparison
   * `<v6.5` `<=v6.4` `>=v6.5` `>v6.2`, a toggle `zero-pin=skip`, or comma-separated alternatives).
   */
  on?: { text: string; pos: Pos }[];
}

export type Statement =
  | Title | Kernel | Mmap | FileDecl | Access | Munmap | Madvise | Mprotect | Fork | TaskSwitch | Exit
  | Pin | Release | Dio | Complete | VfioMap | VfioUnmap | Vmsplice | PipeDecl | Close | Writeback | Label | Repeat | Mark | Note | Show | Expect
  | Pvm | UringRegister | UringUnregister;

/** A blank or comment-only line, kept so the printer reproduces the author's layout. */
export interface Trivia { op: 'trivia'; pos: Pos; comment?: string }

export interface Scenario {
  /** Top-level statements in order, with trivia lines interleaved (the simulator skips trivia). */
  statements: (Statement | Trivia)[];
}

export interface ScenarioError {
  file: string;
  line: number;
  col: number;
  message: string;
}
