import type { Folio, FolioKind, Mm, SimState } from './state';
import { HUGE_ZERO_HOLDER, MAIN_TASK, PMD_ORDER, ZERO_HOLDER } from './state';

/** First virtual address handed out by mmap (deterministic, user half of a 4-level address space). */
export const MMAP_BASE = 0x7f0000000000;
/** Page frame numbers: the zero page sits in the kernel image; user folios come from higher up. */
export const ZERO_PFN = 0x2a00;
export const HUGE_ZERO_PFN = 0x40000;
export const FIRST_USER_PFN = 0x100000;

export function newFolio(id: number, kind: FolioKind, order: number, pfn: number): Folio {
  const pages = 1 << order;
  return {
    id,
    kind,
    order,
    pfn,
    refcount: 0,
    mapcount: new Int32Array(pages).fill(-1),
    largeMapcount: -1,
    entireMapcount: -1,
    pincount: 0,
    anonExclusive: new Int32Array(pages),
    dirty: false,
    reserved: false,
    locked: false,
    freed: false,
    holds: new Map(),
    heldRefs: 0,
    heldPins: 0,
  };
}

export function newMm(id: number, owner: string): Mm {
  return { id, owner, vmas: new Map(), ptes: new Map(), pmds: new Map(), tables: new Map(), hasPinned: false, hugeZeroRef: false, nextVa: MMAP_BASE };
}

/** Boot state: the shared zero page and the huge zero folio (refcount 1 at rest each), and task `main`. */
export function createInitialState(): SimState {
  const zero = newFolio(1, 'zero', 0, ZERO_PFN);
  zero.refcount = 1;
  zero.reserved = true;
  zero.holds.set(ZERO_HOLDER, { refs: 1, pins: 0 });
  zero.heldRefs = 1;
  const hugeZero = newFolio(2, 'hugezero', PMD_ORDER, HUGE_ZERO_PFN);
  hugeZero.refcount = 1;
  hugeZero.holds.set(HUGE_ZERO_HOLDER, { refs: 1, pins: 0 });
  hugeZero.heldRefs = 1;
  const mm = newMm(1, MAIN_TASK);
  return {
    counters: { folio: 3, pfn: FIRST_USER_PFN, mm: 2, bio: 1, dio: 1, diskBlock: 8, pin: 1, get: 1, child: 1, cpu: 0, violations: 0 },
    folios: new Map([
      [1, zero],
      [2, hugeZero],
    ]),
    tasks: new Map([[MAIN_TASK, { name: MAIN_TASK, mm: 1, alive: true }]]),
    mms: new Map([[1, mm]]),
    files: new Map(),
    handles: new Map(),
    bios: new Map(),
    dios: new Map(),
    labels: new Map(),
    cur: { task: MAIN_TASK },
    zeroFolio: 1,
    hugeZeroFolio: 2,
  };
}
