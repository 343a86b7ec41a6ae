import { describe, expect, it } from 'vitest';
import { HOLDER_KINDS, describeHolder, holder, holderClass, holderKey, holderKind, isLeak, kindsOfClass, leakOwner, parseHolder, shortHolderLabel, type Holder, type HolderKind } from './holders';

// One example of every kind, with the key it must keep (snapshots, golden traces and links carry these).
const EXAMPLES: Record<HolderKind, [Holder, string, string]> = {
  map: [{ kind: 'map', task: 'main', va: 0x7f0000000000 }, holder.pte({ owner: 'main' }, 0x7f0000000000), 'map:main@0x7f0000000000'],
  pmd: [{ kind: 'pmd', task: 'child', va: 0x7f0000200000 }, holder.pmd('child', 0x7f0000200000), 'pmd:child@0x7f0000200000'],
  cache: [{ kind: 'cache', file: 'data' }, holder.cache({ name: 'data' }), 'cache:data'],
  gup: [{ kind: 'gup', handle: 'pin#1' }, holder.gup('pin#1'), 'gup:pin#1'],
  bio: [{ kind: 'bio', bio: 'bio#3' }, holder.bio({ name: 'bio#3' }), 'bio:bio#3'],
  dioq: [{ kind: 'dioq', dio: 'dio#1' }, holder.dioQueue({ name: 'dio#1' }), 'dioq:dio#1'],
  diocur: [{ kind: 'diocur', dio: 'dio#1' }, holder.dioCur('dio#1'), 'diocur:dio#1'],
  vfio: [{ kind: 'vfio', handle: 'dma' }, holder.vfio('dma'), 'vfio:dma'],
  pipe: [{ kind: 'pipe', pipe: 'p' }, holder.pipe('p'), 'pipe:p'],
  kernel: [{ kind: 'kernel', what: 'zero-page' }, holder.zeroPage(), 'kernel:zero-page'],
  tmp: [{ kind: 'tmp', why: 'lookup' }, holder.tmp('lookup'), 'tmp:lookup'],
  leak: [{ kind: 'leak', owner: { kind: 'vfio', handle: 'dma' } }, holder.leak(holder.vfio('dma')), 'leak:vfio:dma'],
};

describe('holder keys', () => {
  it.each(HOLDER_KINDS)('round-trips a %s holder: typed ↔ key, and the constructor builds the same key', (kind) => {
    const [typed, built, key] = EXAMPLES[kind];
    expect(holderKey(typed)).toBe(key);
    expect(built).toBe(key);
    expect(parseHolder(key)).toEqual(typed);
    expect(holderKind(key)).toBe(kind);
    expect(isLeak(key)).toBe(kind === 'leak');
  });

  it('keeps the kernel keys the simulator seeds the zero pages with', () => {
    expect(holder.hugeZero()).toBe('kernel:huge-zero');
    expect(holder.kernel('huge-zero')).toBe('kernel:huge-zero');
    expect(parseHolder('kernel:huge-zero')).toEqual({ kind: 'kernel', what: 'huge-zero' });
  });

  it('round-trips nested leaks and task names with odd characters', () => {
    const nested = holder.leak(holder.leak(holder.pte('a@b', 0x1000)));
    expect(nested).toBe('leak:leak:map:a@b@0x1000');
    expect(parseHolder(nested)).toEqual({ kind: 'leak', owner: { kind: 'leak', owner: { kind: 'map', task: 'a@b', va: 0x1000 } } });
    expect(holderKey(parseHolder(nested)!)).toBe(nested);
    expect(leakOwner(nested)).toBe('leak:map:a@b@0x1000');
    expect(leakOwner('vfio:dma')).toBeUndefined();
  });

  it('refuses keys it does not know', () => {
    for (const bad of ['', 'nokind', 'what:ever', 'map:main', 'map:main@7f00', 'pmd:main@0xZZ', 'leak:nope:x']) expect(parseHolder(bad)).toBeUndefined();
  });
});

describe('holder words', () => {
  it('describes every kind', () => {
    const words = HOLDER_KINDS.map((k) => describeHolder(EXAMPLES[k][2]));
    expect(words).toEqual([
      'the kernel (the zero page is reserved)',
      'a temporary reference (lookup)',
      'the PTE at 0x7f0000000000 in main',
      'the PMD at 0x7f0000200000 in child',
      'the page cache of data',
      'pin#1',
      'bio#3',
      "dio#1's page queue",
      "dio#1's current page",
      'vfio mapping dma',
      'pipe p',
      'leaked by vfio mapping dma',
    ]);
    expect(describeHolder('kernel:huge-zero')).toBe('the kernel (huge zero folio)');
    expect(describeHolder('odd')).toBe('odd');
  });

  it('gives the graph a short label for every kind', () => {
    expect(HOLDER_KINDS.map((k) => shortHolderLabel(EXAMPLES[k][2]))).toEqual([
      'zero page (reserved)',
      'temporary (lookup)',
      '0x7f0000000000 · main',
      'PMD 0x7f0000200000 · child',
      'cache of data',
      'pin#1',
      'bio#3',
      'dio#1 queue',
      'dio#1 current page',
      'vfio dma',
      'pipe p',
      'leaked by vfio dma',
    ]);
  });

  it('puts every kind in exactly one class, and unknown kinds in "other"', () => {
    const classes = ['map', 'cache', 'gup', 'bio', 'dio', 'vfio', 'pipe', 'kernel', 'leak'] as const;
    expect(classes.flatMap((c) => kindsOfClass(c)).sort()).toEqual([...HOLDER_KINDS].sort());
    expect(kindsOfClass('map')).toEqual(['map', 'pmd']);
    expect(kindsOfClass('dio')).toEqual(['dioq', 'diocur']);
    expect(holderClass('tmp')).toBe('kernel');
    expect(holderClass('uring')).toBe('other');
  });
});
