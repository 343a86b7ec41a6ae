// The interface every direct-I/O engine implements, and what all of them share: the request, the dio's
// holders, the end of a dio, and how the submitter waits. One engine per kernel source file:
// legacy.ts (fs/direct-io.c), iomap.ts (fs/iomap/direct-io.c), blockdev.ts (block/fops.c).

import type { Sim } from '../sim';
import type { Bio, Dio, FileObj, Mm } from '../state';
import { PAGE_SIZE } from '../state';
import { ERRNO } from '../events';
import { holder } from '../holders';

export type FsKind = FileObj['fs'];

export interface DioRequest {
  dir: 'read' | 'write';
  file: string;
  foff: number;
  len: number;
  mapping: string;
  bufoff: number;
  async: boolean;
}

/** What an engine is handed once the request has passed the common checks. */
export interface DioRange {
  file: FileObj;
  mm: Mm;
  bufVa: number;
  foff: number;
  /** Bytes to transfer (a read is already trimmed at end of file). */
  len: number;
}

/** How the task that submitted a synchronous dio reaps a completed bio itself. */
export interface Reaper {
  /** The call chain of the woken submitter while it releases the bio's pages. */
  context: readonly string[];
  /** The function that wraps the release, if the engine has one. */
  fn?: string;
  /** The call chain in which the submitter then drops its bio reference on the dio. */
  dropContext: readonly string[];
}

/** How the dio ends once its last reference is gone. */
export interface Completion {
  /** The completing function (none: the system call just returns). */
  fn?: string;
  /** The woken submitter completes the dio in its own context (this call chain), not the end_io. */
  inTask?: readonly string[];
}

export interface DioEngine {
  readonly fs: FsKind;
  /** How a file on this engine is described. */
  readonly label: string;
  /** The engine's entry point, called from the read/write system call. */
  readonly entry: string;
  /** Whether a write past the end makes the file larger (a block device has a fixed size). */
  readonly grows: boolean;
  /** Bytes of a write at `foff` the caller lets through before the engine runs (a negative errno: none). */
  writeLimit?(file: FileObj, foff: number, len: number): number;
  /** Build and submit the bios for the range; leave them in flight. */
  submit(sim: Sim, dio: Dio, range: DioRange): void;
  /** Set when the woken submitter, not the end_io, releases the pages of `bio`. */
  reaper(dio: Dio, bio: Bio): Reaper | undefined;
  /** The function the end_io calls to release a bio's pages, if any wraps bio_release_pages. */
  endIoReleaseFn(dio: Dio, bio: Bio): string | undefined;
  completion(dio: Dio): Completion;
  /** Runs once the dio has ended, before the system call returns (the caller's buffered fallback). */
  afterFinish?(sim: Sim, dio: Dio): void;
}

export function dioQueueHolder(dio: Dio): string {
  return holder.dioQueue(dio);
}
export function dioCurHolder(dio: Dio): string {
  return holder.dioCur(dio);
}

export function userPagesOf(bufVa: number, len: number): number {
  return Math.floor((bufVa + len - 1) / PAGE_SIZE) - Math.floor(bufVa / PAGE_SIZE) + 1;
}

export function finishDio(sim: Sim, dio: Dio, result: number, why: string): void {
  sim.journal.set(dio, 'result', result);
  sim.journal.set(dio, 'state', dio.fallbackBytes > 0 ? 'fallback' : 'done');
  sim.emit('dio', () => ({ text: `${dio.name} ends with ${result < 0 ? Object.entries(ERRNO).find(([, n]) => -n === result)?.[0] ?? result : `${result} bytes`}: ${why}.`, dio: dio.id }));
}

/** The bios are built: an async submitter returns -EIOCBQUEUED, a synchronous one sleeps. */
export function afterSubmission(sim: Sim, dio: Dio): void {
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
