// What the simulator reports: a sequence of small events, and findings (violations, failed expectations).

import type { ViewName } from './ast';

export type EventKind =
  | 'ref' // refcount change by a holder (get/put, mapping reference, page cache)
  | 'pin' // pin taken or released (bias or _pincount)
  | 'map' // mapcount / PTE / PMD installed or removed
  | 'pte' // PTE bits changed (write-protect, mkwrite, dirty)
  | 'table' // a page-table page allocated
  | 'fault' // a page fault taken
  | 'alloc' // a folio allocated
  | 'free' // a folio freed
  | 'flag' // folio flag changed (AnonExclusive, dirty, locked)
  | 'vma' // a mapping created or removed
  | 'task' // fork, exit, task switch, wake
  | 'gup' // a GUP call starts, falls back or returns
  | 'bio' // bio built, page added, submitted, completed, released
  | 'dio' // dio created, waiting, completed
  | 'file' // file created or extended; blocks allocated
  | 'vfio'
  | 'pipe'
  | 'expect'
  | 'mark'
  | 'elided'; // a muted span of repeat iterations, or a statement's run of alike pages, shown as one step

export interface SimEvent {
  kind: EventKind;
  /** One sentence in plain words. */
  text: string;
  /** The kernel call chain, outermost first. */
  chain: readonly string[];
  /** Source line of the statement that produced it, and its execution sequence number. */
  line: number;
  stmt: number;
  /** Journal index after this event's mutations. */
  patchEnd: number;
  folio?: number;
  holder?: string;
  /** Change in refcount (or pincount for `pin` events on large folios). */
  delta?: number;
  task?: string;
  va?: number;
  bio?: number;
  dio?: number;
  handle?: string;
  /** For `elided`: how many iterations it stands for. */
  iterations?: number;
  /** For `elided` page runs (one statement's alike pages summarised): how many pages it stands for. */
  pages?: number;
  /** For `expect`: whether it held. */
  ok?: boolean;
  /** Narration from a `note` statement, shown with this event. */
  note?: string;
}

export type FindingKind =
  | 'expect' // a failed expectation
  | 'refcount-mismatch' // refcount is not the sum of its holders
  | 'negative-count' // negative mapcount or pincount
  | 'bad-release' // unpin/put by a holder that did not take it
  | 'refcount-wrap' // the 32-bit refcount wrapped
  | 'gup-refused' // GUP refused a folio whose refcount is <= 0 (the overflow check)
  | 'pin-warn' // a WARN the kernel would print (folio_add_pin on an unpinned folio, ...)
  | 'leak' // a holder went away without releasing its references
  | 'stale-pin'; // a pinned page is no longer the page mapped where the pin was taken

/** Findings that count as invariant violations (the `violations` subject). */
export const VIOLATION_KINDS: ReadonlySet<FindingKind> = new Set([
  'refcount-mismatch',
  'negative-count',
  'bad-release',
  'refcount-wrap',
  'gup-refused',
  'pin-warn',
]);

export interface Finding {
  /** The step (1-based event index) at which it was found. */
  step: number;
  kind: FindingKind;
  message: string;
  line: number;
  folio?: number;
  holder?: string;
  /** How many times it was met: the same finding raised again by the same statement adds to one entry. */
  count: number;
  /** The step at which it was last met (`step` is the first); set by the simulator. */
  lastStep?: number;
}

export interface ExpectationResult {
  line: number;
  text: string;
  ok: boolean;
  actual: string;
  /** How many times it was checked (inside repeat) and how many failed. */
  checks: number;
  failures: number;
  step: number;
}

/** A `show` statement's choice of views, in effect from `step` until the next one. */
export interface ShownViews {
  views: readonly ViewName[];
  line: number;
  /** The first step it applies to (like a chapter's: the state before the next event, then that event on). */
  step: number;
}

export interface Chapter {
  title: string;
  line: number;
  /** The step at which the chapter begins (state before its first event). */
  step: number;
}

export const ERRNO: Record<string, number> = {
  EPERM: 1,
  EIO: 5,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  ENOTBLK: 15,
  EBUSY: 16,
  EINVAL: 22,
  ENOSPC: 28,
  EMLINK: 31,
  EREMOTEIO: 121,
  EIOCBQUEUED: 529,
};

export function errnoName(value: number): string {
  for (const [name, n] of Object.entries(ERRNO)) if (-n === value) return `-${name}`;
  return String(value);
}

export function elixirLink(version: string, fn: string): string {
  return `https://elixir.bootlin.com/linux/${version}/C/ident/${fn}`;
}
