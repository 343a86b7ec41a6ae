// Holders: who owns each reference on a folio. A folio's `holds` map, events, findings, snapshots, golden
// traces and links all name a holder by its key, "<kind>:<detail>" (`map:main@0x7f0000000000`, `bio:bio#1`,
// `leak:vfio:dma`). This module is the one place that builds keys, parses them back into typed holders, and
// turns them into words; the simulator and the views both use it (it depends on nothing).

/** Every holder kind, in the order views stack them (the kernel's own references first, leaks last). */
export const HOLDER_KINDS = ['kernel', 'tmp', 'map', 'pmd', 'cache', 'gup', 'bio', 'dioq', 'diocur', 'vfio', 'pipe', 'leak'] as const;

export type HolderKind = (typeof HOLDER_KINDS)[number];

export type Holder =
  /** A PTE mapping page `va` in `task`'s address space. */
  | { kind: 'map'; task: string; va: number }
  /** A PMD mapping the huge page at `va` (PMD-aligned). */
  | { kind: 'pmd'; task: string; va: number }
  /** The page cache of `file`. */
  | { kind: 'cache'; file: string }
  /** A GUP pin or get handle (`pin#1`, `get#2`, or a named one). */
  | { kind: 'gup'; handle: string }
  /** A bio's bvec (`bio#3`). */
  | { kind: 'bio'; bio: string }
  /** The legacy dio's page queue, and its current page (`dio#1`). */
  | { kind: 'dioq'; dio: string }
  | { kind: 'diocur'; dio: string }
  /** A vfio type1 DMA mapping. */
  | { kind: 'vfio'; handle: string }
  /** A pipe buffer (vmsplice). */
  | { kind: 'pipe'; pipe: string }
  /** The kernel itself: `zero-page` (the reserved zero page's own reference) or `huge-zero`. */
  | { kind: 'kernel'; what: string }
  /** A temporary reference (`why`). */
  | { kind: 'tmp'; why: string }
  /** References left behind by a holder that went away without releasing them. */
  | { kind: 'leak'; owner: Holder };

/** A holder's key, as stored on folios and in events. */
export type HolderKey = string;

type Named = string | { readonly name: string };
const nameOf = (x: Named): string => (typeof x === 'string' ? x : x.name);
type Owned = string | { readonly owner: string };
const ownerOf = (x: Owned): string => (typeof x === 'string' ? x : x.owner);
const hex = (n: number): string => `0x${n.toString(16)}`;

/** The key of a typed holder. */
export function holderKey(h: Holder): HolderKey {
  switch (h.kind) {
    case 'map':
    case 'pmd':
      return `${h.kind}:${h.task}@${hex(h.va)}`;
    case 'cache':
      return `cache:${h.file}`;
    case 'gup':
    case 'vfio':
      return `${h.kind}:${h.handle}`;
    case 'bio':
      return `bio:${h.bio}`;
    case 'dioq':
    case 'diocur':
      return `${h.kind}:${h.dio}`;
    case 'pipe':
      return `pipe:${h.pipe}`;
    case 'kernel':
      return `kernel:${h.what}`;
    case 'tmp':
      return `tmp:${h.why}`;
    case 'leak':
      return `leak:${holderKey(h.owner)}`;
  }
}

/** Holder key constructors. `mm` is anything with an `owner` (a task name), a name-bearing thing its name. */
export const holder = {
  pte: (mm: Owned, va: number): HolderKey => holderKey({ kind: 'map', task: ownerOf(mm), va }),
  /** `va` is the PMD's base address (callers align it). */
  pmd: (mm: Owned, va: number): HolderKey => holderKey({ kind: 'pmd', task: ownerOf(mm), va }),
  cache: (file: Named): HolderKey => holderKey({ kind: 'cache', file: nameOf(file) }),
  gup: (handle: Named): HolderKey => holderKey({ kind: 'gup', handle: nameOf(handle) }),
  bio: (bio: Named): HolderKey => holderKey({ kind: 'bio', bio: nameOf(bio) }),
  dioQueue: (dio: Named): HolderKey => holderKey({ kind: 'dioq', dio: nameOf(dio) }),
  dioCur: (dio: Named): HolderKey => holderKey({ kind: 'diocur', dio: nameOf(dio) }),
  vfio: (handle: Named): HolderKey => holderKey({ kind: 'vfio', handle: nameOf(handle) }),
  pipe: (pipe: Named): HolderKey => holderKey({ kind: 'pipe', pipe: nameOf(pipe) }),
  kernel: (what: string): HolderKey => holderKey({ kind: 'kernel', what }),
  zeroPage: (): HolderKey => 'kernel:zero-page',
  hugeZero: (): HolderKey => 'kernel:huge-zero',
  tmp: (why: string): HolderKey => holderKey({ kind: 'tmp', why }),
  /** The key a holder's references move to when it goes away still holding them. */
  leak: (owner: HolderKey): HolderKey => `leak:${owner}`,
} as const;

function isHolderKind(kind: string): kind is HolderKind {
  return (HOLDER_KINDS as readonly string[]).includes(kind);
}

function split(key: string): { kind: string; rest: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { kind: key, rest: '' } : { kind: key.slice(0, colon), rest: key.slice(colon + 1) };
}

/** The typed holder a key names, or undefined for a key this module does not know. */
export function parseHolder(key: HolderKey): Holder | undefined {
  const { kind, rest } = split(key);
  if (!isHolderKind(kind) || !key.includes(':')) return undefined;
  switch (kind) {
    case 'map':
    case 'pmd': {
      const at = rest.lastIndexOf('@');
      const va = rest.slice(at + 1);
      if (at < 0 || !/^0x[0-9a-f]+$/.test(va)) return undefined;
      return { kind, task: rest.slice(0, at), va: Number.parseInt(va.slice(2), 16) };
    }
    case 'cache':
      return { kind, file: rest };
    case 'gup':
    case 'vfio':
      return { kind, handle: rest };
    case 'bio':
      return { kind, bio: rest };
    case 'dioq':
    case 'diocur':
      return { kind, dio: rest };
    case 'pipe':
      return { kind, pipe: rest };
    case 'kernel':
      return { kind, what: rest };
    case 'tmp':
      return { kind, why: rest };
    case 'leak': {
      const owner = parseHolder(rest);
      return owner ? { kind, owner } : undefined;
    }
  }
}

/** The kind part of a key (`map` for `map:main@0x1000`, `leak` for any leaked holder). */
export function holderKind(key: HolderKey): string {
  return split(key).kind;
}

export function isLeak(key: HolderKey): boolean {
  return key.startsWith('leak:');
}

/** The holder that should have released a leaked reference (`leak:vfio:dma` → `vfio:dma`). */
export function leakOwner(key: HolderKey): HolderKey | undefined {
  return isLeak(key) ? key.slice('leak:'.length) : undefined;
}

/** A holder key in words, for narration and findings: "the PTE at 0x7f0000000000 in main". */
export function describeHolder(key: HolderKey): string {
  const { kind, rest } = split(key);
  switch (kind) {
    case 'map':
    case 'pmd': {
      const [task, va] = rest.split('@');
      return `the ${kind === 'pmd' ? 'PMD' : 'PTE'} at ${va} in ${task}`;
    }
    case 'cache':
      return `the page cache of ${rest}`;
    case 'gup':
    case 'bio':
      return rest;
    case 'dioq':
      return `${rest}'s page queue`;
    case 'diocur':
      return `${rest}'s current page`;
    case 'vfio':
      return `vfio mapping ${rest}`;
    case 'pipe':
      return `pipe ${rest}`;
    case 'kernel':
      return rest === 'zero-page' ? 'the kernel (the zero page is reserved)' : rest === 'huge-zero' ? 'the kernel (huge zero folio)' : `the kernel (${rest})`;
    case 'leak':
      return `leaked by ${describeHolder(rest)}`;
    case 'tmp':
      return `a temporary reference (${rest})`;
    default:
      return key;
  }
}

/** A short label for a holder key, for a row in the refcount graph (the sentence goes in the tooltip). */
export function shortHolderLabel(key: HolderKey): string {
  const { kind, rest } = split(key);
  switch (kind) {
    case 'map':
    case 'pmd': {
      const [task, va] = rest.split('@');
      return `${kind === 'pmd' ? 'PMD ' : ''}${va ?? ''} · ${task ?? ''}`;
    }
    case 'cache':
      return `cache of ${rest}`;
    case 'dioq':
      return `${rest} queue`;
    case 'diocur':
      return `${rest} current page`;
    case 'vfio':
      return `vfio ${rest}`;
    case 'pipe':
      return `pipe ${rest}`;
    case 'kernel':
      return rest === 'zero-page' ? 'zero page (reserved)' : rest === 'huge-zero' ? 'huge zero folio' : rest;
    case 'tmp':
      return `temporary (${rest})`;
    case 'leak':
      return `leaked by ${shortHolderLabel(rest)}`;
    default:
      return rest || key;
  }
}

/** What each holder kind is, in a few words (legends, tooltips). */
export const HOLDER_KIND_LABELS: Readonly<Record<HolderKind, string>> = {
  map: 'PTE mapping',
  pmd: 'PMD mapping',
  cache: 'page cache',
  gup: 'GUP pin/get',
  bio: 'bio',
  dioq: 'dio page queue',
  diocur: 'dio current page',
  vfio: 'vfio DMA mapping',
  pipe: 'pipe buffer',
  kernel: 'kernel',
  tmp: 'temporary',
  leak: 'leaked',
};

/** The class of holders a kind belongs to: one group (one colour) in the graph and the legends. */
export type HolderClass = 'map' | 'cache' | 'gup' | 'bio' | 'dio' | 'vfio' | 'pipe' | 'kernel' | 'leak' | 'other';

const CLASS_OF: Readonly<Record<HolderKind, HolderClass>> = {
  map: 'map',
  pmd: 'map',
  cache: 'cache',
  gup: 'gup',
  bio: 'bio',
  dioq: 'dio',
  diocur: 'dio',
  vfio: 'vfio',
  pipe: 'pipe',
  kernel: 'kernel',
  tmp: 'kernel',
  leak: 'leak',
};

export function holderClass(kind: string): HolderClass {
  return isHolderKind(kind) ? CLASS_OF[kind] : 'other';
}

/** The kinds in one class, in HOLDER_KINDS order. */
export function kindsOfClass(cls: HolderClass): HolderKind[] {
  return HOLDER_KINDS.filter((k) => CLASS_OF[k] === cls);
}
