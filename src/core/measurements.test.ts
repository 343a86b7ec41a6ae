// Section 8 of kernel-semantics.md ("Observed on real kernels") as direct tests of the simulator, checked at
// intermediate steps and not only where a scenario's `expect` lines happen to be. Each test runs a small
// scenario, finds the steps of one statement through `run.events[i].line`, and reads the counts from
// `run.snapshot(step)`, so a change that keeps the end result but breaks the path there is caught.
//
// Conventions: the settled refcount of a freshly faulted anon page is 1 (the per-CPU LRU batch reference
// the real kernels showed, 2 → 1026 → 2 on 6.12, is not modelled); the zero page and the huge zero folio
// rest at 1.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run, type Snapshot } from './index';
import { parseKernelSpec } from './kernelspec';

// The GUP-fast entry point by release: internal_get_user_pages_fast (v5.10), lockless_pages_from_mm (to v6.9), gup_fast.
const FAST_PATH_NAMES = new Set(['gup_fast', 'lockless_pages_from_mm', 'internal_get_user_pages_fast']);

function run(text: string, kernel?: string): Run {
  const parsed = parseScenario(text.trim() + '\n', 'measurement.scn');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  const outcome = simulate(parsed.scenario, kernel ? { kernel: parseKernelSpec(kernel) } : {});
  if (!outcome.ok) throw new Error(`${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  const failed = outcome.run.expectations.filter((e) => !e.ok);
  if (failed.length) throw new Error(failed.map((e) => `line ${e.line}: ${e.text} — actual ${e.actual}`).join('\n'));
  return outcome.run;
}

/** 1-based line of the first statement whose text starts with `prefix` (the scenario text is trimmed first). */
function lineOf(text: string, prefix: string): number {
  const i = text.trim().split('\n').findIndex((l) => l.trim().startsWith(prefix));
  if (i < 0) throw new Error(`no statement "${prefix}"`);
  return i + 1;
}

/** The steps of a statement: the state before its first event, then after each of its events. */
function stepsOf(r: Run, line: number): number[] {
  const steps: number[] = [];
  r.events.forEach((e, i) => {
    if (e.line === line) steps.push(i + 1);
  });
  if (steps.length === 0) throw new Error(`line ${line} produced no events`);
  return [steps[0]! - 1, ...steps];
}

type FolioPick = (s: Snapshot) => number | undefined;
const ZERO: FolioPick = (s) => s.zeroFolio;
const HUGE_ZERO: FolioPick = (s) => s.hugeZeroFolio;
/** The folio mapped at `off` of mapping `vma` in task `task` at that step. */
function mappedAt(vma: string, off: number, task = 'main'): FolioPick {
  return (s) => {
    const t = s.tasks.find((x) => x.name === task);
    const v = t?.vmas.find((x) => x.name === vma);
    if (!t || !v) return undefined;
    const va = v.start + off;
    const pte = t.entries.find((e) => e.level === 'pte' && e.va === va);
    if (pte) return pte.folio;
    return t.entries.find((e) => e.level === 'pmd' && va >= e.va && va < e.va + 2 * 1024 * 1024)?.folio;
  };
}

function folioIn(s: Snapshot, id: number | undefined) {
  return id === undefined ? undefined : s.folios.find((f) => f.id === id);
}

/**
 * Refcounts of one folio across `steps`, consecutive repeats collapsed (`pick` is resolved at `at`); steps
 * before the folio was allocated (or after it was freed) are left out.
 */
function series(r: Run, steps: number[], pick: FolioPick, field: 'refcount' | 'pincount' = 'refcount', at = steps[steps.length - 1]!): number[] {
  const id = pick(r.snapshot(at));
  if (id === undefined) throw new Error('the folio to follow is not mapped there');
  const out: number[] = [];
  for (const step of steps) {
    const f = folioIn(r.snapshot(step), id);
    if (!f) continue;
    if (out[out.length - 1] !== f[field]) out.push(f[field]);
  }
  return out;
}

function allSteps(r: Run): number[] {
  return Array.from({ length: r.lastStep + 1 }, (_, i) => i);
}

function lastStepOf(r: Run, line: number): number {
  const s = stepsOf(r, line);
  return s[s.length - 1]!;
}

// ---------------------------------------------------------------------------------------------------------

describe('FOLL_GET direct I/O from zero-page PTEs (5.10, Debian 6.1): 1 → 5 → 1, one bvec per occurrence', () => {
  const text = `
file out 64K fs=blockdev
mmap buf 16K
read buf
dio write out 0 16K buf
complete all
`;
  for (const kernel of ['v5.10', 'v6.1 zero-pin=skip', 'v6.4']) {
    it(`under ${kernel}`, () => {
      const r = run(text, kernel);
      const dio = stepsOf(r, lineOf(text, 'dio write'));
      expect(series(r, dio, ZERO)).toEqual([1, 2, 3, 4, 5]);
      const inflight = r.snapshot(dio[dio.length - 1]!);
      expect(inflight.bios).toHaveLength(1);
      const bio = inflight.bios[0]!;
      expect(bio.pinned).toBe(false);
      expect(bio.state).toBe('submitted');
      expect(bio.bvecs.map((b) => [b.folio, b.offset, b.len, b.hold])).toEqual(Array.from({ length: 4 }, () => [inflight.zeroFolio, 0, 4096, 'get']));
      expect(series(r, stepsOf(r, lineOf(text, 'complete')), ZERO)).toEqual([5, 4, 3, 2, 1]);
      expect(r.snapshot(r.lastStep).leaks).toBe(0);
    });
  }
});

describe('FOLL_PIN of the zero page without the exemption (5.10 process_vm_readv): 1 → 1025 → 2049 → 3073 → 4097 → 1', () => {
  const text = `
mmap buf 16K
read buf
pin p buf 0 16K
unpin p
`;
  for (const kernel of ['v5.10', 'v5.19', 'v6.1', 'v6.4']) {
    it(`pinning goes up by the 1024 bias per page under ${kernel}`, () => {
      const r = run(text, kernel);
      expect(series(r, stepsOf(r, lineOf(text, 'pin p')), ZERO)).toEqual([1, 1025, 2049, 3073, 4097]);
      expect(r.snapshot(r.lastStep).folios.find((f) => f.kind === 'zero')!.refcount).toBe(1);
    });
  }
  // v5.10's unpin_user_pages() calls unpin_user_page() for each entry; batching of consecutive entries of
  // one (compound) page came later ("mm/gup: decrement head page once for group of subpages", ~v5.12), and
  // section 8 notes that newer kernels release consecutive identical pages in one batch.
  it('v5.10 unpins one page at a time: 4097 → 3073 → 2049 → 1025 → 1', () => {
    const r = run(text, 'v5.10');
    expect(series(r, stepsOf(r, lineOf(text, 'unpin p')), ZERO)).toEqual([4097, 3073, 2049, 1025, 1]);
  });
  for (const kernel of ['v5.19', 'v6.1', 'v6.4']) {
    it(`newer kernels unpin the four identical entries in one batch under ${kernel}: 4097 → 1`, () => {
      const r = run(text, kernel);
      expect(series(r, stepsOf(r, lineOf(text, 'unpin p')), ZERO)).toEqual([4097, 1]);
    });
  }
});

describe('Debian 6.1 (v6.1 zero-pin=skip): pins leave the zero page at 1, O_DIRECT still takes +1 per occurrence', () => {
  const text = `
file out 64K fs=blockdev
mmap buf 16K
read buf
pin p buf 0 16K
unpin p
dio write out 0 16K buf
complete all
`;
  it('pin and unpin never move the zero page; the FOLL_GET bio does', () => {
    const r = run(text, 'v6.1 zero-pin=skip');
    expect(r.kernel.label).toBe('v6.1 zero-pin=skip');
    expect(series(r, stepsOf(r, lineOf(text, 'pin p')), ZERO)).toEqual([1]);
    expect(series(r, stepsOf(r, lineOf(text, 'unpin p')), ZERO)).toEqual([1]);
    expect(series(r, stepsOf(r, lineOf(text, 'dio write')), ZERO)).toEqual([1, 2, 3, 4, 5]);
    expect(series(r, stepsOf(r, lineOf(text, 'complete')), ZERO)).toEqual([5, 4, 3, 2, 1]);
  });
  it('upstream v6.1.0 (no backport) counts the pins', () => {
    const r = run(text, 'v6.1');
    expect(series(r, stepsOf(r, lineOf(text, 'pin p')), ZERO)).toEqual([1, 1025, 2049, 3073, 4097]);
  });
});

describe('6.12 direct I/O pins: an anon page +1024 (BIO_PAGE_PINNED), the zero page stays at 1 throughout', () => {
  const text = `
file out 64K fs=blockdev
mmap buf 16K
write buf 0 4K
read buf 4K 12K
dio write out 0 16K buf
complete all
`;
  for (const kernel of ['v6.12', 'v6.5', 'latest']) {
    it(`under ${kernel}`, () => {
      const r = run(text, kernel);
      const dio = stepsOf(r, lineOf(text, 'dio write'));
      const done = stepsOf(r, lineOf(text, 'complete'));
      expect(series(r, dio, mappedAt('buf', 0))).toEqual([1, 1025]);
      expect(series(r, done, mappedAt('buf', 0))).toEqual([1025, 1]);
      expect(series(r, allSteps(r), ZERO)).toEqual([1]);
      const inflight = r.snapshot(dio[dio.length - 1]!);
      expect(inflight.bios).toHaveLength(1);
      expect(inflight.bios[0]!.pinned).toBe(true);
      expect(inflight.bios[0]!.bvecs.every((b) => b.hold === 'pin')).toBe(true);
      expect(inflight.bios[0]!.bvecs.filter((b) => b.folio === inflight.zeroFolio)).toHaveLength(3);
      expect(inflight.folios.find((f) => f.id === mappedAt('buf', 0)(inflight))!.pinned).toBe(true);
    });
  }
});

describe('O_DIRECT read into zero-page PTEs never touches the zero page', () => {
  const engines = ['iomap', 'legacy', 'blockdev'] as const;
  const text = (fs: string) => `
file data 64K fs=${fs}
mmap buf 16K
read buf
dio read data 0 16K buf
complete all
`;
  for (const [kernel, inflight] of [['v5.10', 2], ['v6.1', 2], ['v6.4', 2], ['v6.5', 1025], ['v6.12', 1025]] as const) {
    for (const fs of engines) {
      it(`${fs} under ${kernel}: fresh anon pages, +${inflight - 1} each in flight, dirty after`, () => {
        const t = text(fs);
        const r = run(t, kernel);
        expect(series(r, allSteps(r), ZERO)).toEqual([1]);
        const after = lastStepOf(r, lineOf(t, 'dio read'));
        const snap = r.snapshot(after);
        for (const off of [0, 0x1000, 0x2000, 0x3000]) {
          const f = folioIn(snap, mappedAt('buf', off)(snap))!;
          expect(f.kind).toBe('anon');
          expect(f.refcount).toBe(inflight);
          expect(f.mapcount).toBe(1);
        }
        expect(snap.bios.every((b) => b.bvecs.every((v) => v.folio !== snap.zeroFolio))).toBe(true);
        const end = r.snapshot(r.lastStep);
        for (const off of [0, 0x1000, 0x2000, 0x3000]) {
          const f = folioIn(end, mappedAt('buf', off)(end))!;
          expect(f.refcount).toBe(1);
          expect(f.dirty).toBe(true);
        }
      });
    }
  }
});

describe('the huge zero folio is pinned like any large folio: 1 → 5, _pincount 0 → 4, one merged bvec', () => {
  const pinText = `
mmap buf 2M thp
read buf
pin p buf 0 16K
unpin p
`;
  for (const kernel of ['v5.10', 'v6.1', 'v6.4', 'v6.5', 'v6.12', 'latest']) {
    it(`a 16 KiB pin under ${kernel}`, () => {
      const r = run(pinText, kernel);
      const pin = stepsOf(r, lineOf(pinText, 'pin p'));
      const at = r.snapshot(pin[pin.length - 1]!);
      const hz = folioIn(at, at.hugeZeroFolio)!;
      expect([hz.refcount, hz.pincount, hz.pinned]).toEqual([5, 4, true]);
      expect(series(r, allSteps(r), ZERO)).toEqual([1]);
      const end = folioIn(r.snapshot(r.lastStep), at.hugeZeroFolio)!;
      expect([end.refcount, end.pincount]).toEqual([1, 0]);
    });
  }
  // v5.10 __get_user_pages clears ctx.page_mask whenever a pages array is passed, so each 4 KiB subpage of the
  // PMD is looked up and grabbed by its own follow_trans_huge_pmd → try_grab_page: +1 ref and +1 pincount per
  // subpage (docs/kernel-sources.md Q1); policy toggle gup-batching=pages.
  it('v5.10 slow-path pin grabs subpage by subpage: 1 → 2 → 3 → 4 → 5', () => {
    const r = run(pinText, 'v5.10');
    const pin = stepsOf(r, lineOf(pinText, 'pin p'));
    expect(series(r, pin, HUGE_ZERO)).toEqual([1, 2, 3, 4, 5]);
    expect(series(r, pin, HUGE_ZERO, 'pincount')).toEqual([0, 1, 2, 3, 4]);
  });

  const dioText = `
file out 64K fs=blockdev
mmap buf 2M thp
read buf
dio write out 0 16K buf
complete all
`;
  for (const [kernel, pincount, hold] of [['v5.10', 0, 'get'], ['v6.4', 0, 'get'], ['v6.5', 4, 'pin'], ['v6.12', 4, 'pin']] as const) {
    it(`an O_DIRECT write of 16 KiB under ${kernel}: refcount 5, pincount ${pincount}, one bvec of 4 pages`, () => {
      const r = run(dioText, kernel);
      const dio = stepsOf(r, lineOf(dioText, 'dio write'));
      const at = r.snapshot(dio[dio.length - 1]!);
      const hz = folioIn(at, at.hugeZeroFolio)!;
      expect([hz.refcount, hz.pincount]).toEqual([5, pincount]);
      expect(at.bios).toHaveLength(1);
      expect(at.bios[0]!.bvecs.map((b) => [b.folio, b.pages, b.len, b.hold])).toEqual([[at.hugeZeroFolio, 4, 16384, hold]]);
      expect(series(r, allSteps(r), ZERO)).toEqual([1]);
      const end = folioIn(r.snapshot(r.lastStep), at.hugeZeroFolio)!;
      expect([end.refcount, end.pincount]).toEqual([1, 0]);
    });
  }
  // Until eb1d46fcd5d6 (v6.12) __bio_release_pages releases one page at a time: bio_for_each_segment_all
  // with put_page (v5.10, read in source), then from 1b151e2435fc (v6.8) a folio walk that still releases page
  // by page: the multi-page bvec of the huge zero folio goes 5 → 4 → 3 → 2 → 1 (toggle bio-release=pages).
  for (const kernel of ['v5.10', 'v6.4', 'v6.9']) {
    it(`${kernel}: completion releases the merged bvec one page at a time, 5 → 4 → 3 → 2 → 1`, () => {
      const r = run(dioText, kernel);
      expect(series(r, stepsOf(r, lineOf(dioText, 'complete')), HUGE_ZERO)).toEqual([5, 4, 3, 2, 1]);
    });
  }
  // From v6.12, unpin_user_folio(folio, nr_pages) releases the whole span in one call.
  for (const kernel of ['v6.12', 'latest']) {
    it(`${kernel}: completion unpins the folio span in one call, 5 → 1`, () => {
      const r = run(dioText, kernel);
      expect(series(r, stepsOf(r, lineOf(dioText, 'complete')), HUGE_ZERO)).toEqual([5, 1]);
    });
  }
});

describe('legacy sub-block zeroing (row 27): the path through cur_page and the bio', () => {
  const text = `
file data 4K fs=legacy blocksize=4K
mmap buf 4K
write buf
dio write data 4K 512 buf
complete all
`;
  // Before v6.5: GUP +1, "it is in dio" +1, the loop's put −1, the bio's get +1, the cur_page put −1;
  // ZERO_PAGE(0) from dio_zero_block: cur_page +1, bio +1, cur_page put −1 (kernel-sources.md Q3).
  for (const kernel of ['v5.10', 'v6.1', 'v6.4']) {
    it(`get_page/put_page under ${kernel}`, () => {
      const r = run(text, kernel);
      const dio = stepsOf(r, lineOf(text, 'dio write'));
      expect(series(r, dio, mappedAt('buf', 0))).toEqual([1, 2, 3, 2, 3, 2]);
      expect(series(r, dio, ZERO)).toEqual([1, 2, 3, 2]);
      const done = stepsOf(r, lineOf(text, 'complete'));
      expect(series(r, done, ZERO)).toEqual([2, 1]);
      expect(series(r, done, mappedAt('buf', 0))).toEqual([2, 1]);
    });
  }
  for (const kernel of ['v6.5', 'v6.12']) {
    it(`pins under ${kernel}: the user page moves by 1024, the zero page never moves`, () => {
      const r = run(text, kernel);
      const dio = stepsOf(r, lineOf(text, 'dio write'));
      expect(series(r, dio, mappedAt('buf', 0))).toEqual([1, 1025, 2049, 1025, 2049, 1025]);
      expect(series(r, allSteps(r), ZERO)).toEqual([1]);
      const at = r.snapshot(dio[dio.length - 1]!);
      expect(at.bios[0]!.pinned).toBe(true);
      expect(at.bios[0]!.bvecs.map((b) => b.folio)).toEqual([mappedAt('buf', 0)(at), at.zeroFolio]);
    });
  }
});

describe('legacy head and tail zeroing at 8704 (section 8, UDF): two bios, counted at each submit_bio', () => {
  const text = `
file data 8K fs=legacy blocksize=4K
mmap buf 4K
write buf
dio write data 8704 512 buf
complete all
`;
  /** Refcount of a folio at each submit_bio event (after it), in order. */
  function atSubmits(r: Run, pick: FolioPick): number[] {
    const steps = r.events.flatMap((e, i) => (e.chain[e.chain.length - 1] === 'submit_bio' && e.kind === 'bio' ? [i + 1] : []));
    return steps.map((step) => folioIn(r.snapshot(step), pick(r.snapshot(step)))!.refcount);
  }
  // fs/direct-io.c dio_send_cur_page(): the head zeroing's cur_page_fs_offset is block_in_file, already the
  // user data's offset, so the user data does not follow the first bio in the file and starts a second one.
  for (const [kernel, zero, user] of [['v5.10', [2, 3], [2, 2]], ['v6.1', [2, 3], [2, 2]], ['v6.12', [1, 1], [1025, 1025]]] as const) {
    it(`under ${kernel}: [zero 512] then [user 512, zero 3072]; zero page ${zero.join(' then ')}`, () => {
      const r = run(text, kernel);
      const at = r.snapshot(lastStepOf(r, lineOf(text, 'dio write')));
      expect(at.bios.map((b) => b.bvecs.map((v) => [v.folio === at.zeroFolio ? 'zero' : 'user', v.len]))).toEqual([
        [['zero', 512]],
        [['user', 512], ['zero', 3072]],
      ]);
      expect(atSubmits(r, ZERO)).toEqual(zero);
      expect(atSubmits(r, mappedAt('buf', 0))).toEqual(user);
    });
  }
});

describe('vfio type1 and the zero page (row 31), step by step', () => {
  const text = `
mmap guest 16K
read guest
vfio map dma guest 0 16K
vfio unmap dma
`;
  it('v5.10: 4 chunk pins and 3 leaked probe pins, +1024 each, and nothing comes back', () => {
    const r = run(text, 'v5.10');
    expect(series(r, stepsOf(r, lineOf(text, 'vfio map')), ZERO)).toEqual([1, 1025, 2049, 3073, 4097, 5121, 6145, 7169]);
    expect(series(r, stepsOf(r, lineOf(text, 'vfio unmap')), ZERO)).toEqual([7169]);
    expect(r.snapshot(r.lastStep).leaks).toBe(7 * 1024);
  });
  for (const kernel of ['v6.0', 'v6.1']) {
    it(`${kernel}: the batch pin goes up to 4097 and the unpin loop brings it straight back`, () => {
      const r = run(text, kernel);
      expect(series(r, stepsOf(r, lineOf(text, 'vfio map')), ZERO)).toEqual([1, 1025, 2049, 3073, 4097, 3073, 2049, 1025, 1]);
      expect(r.snapshot(r.lastStep).leaks).toBe(0);
    });
  }
  for (const kernel of ['v6.2', 'v6.9', 'latest']) {
    it(`${kernel}: unshared pages are pinned; the zero page never moves`, () => {
      const r = run(text, kernel);
      expect(series(r, allSteps(r), ZERO)).toEqual([1]);
      const map = stepsOf(r, lineOf(text, 'vfio map'));
      expect(series(r, map, mappedAt('guest', 0x2000))).toEqual([1, 1025]);
      expect(series(r, stepsOf(r, lineOf(text, 'vfio unmap')), mappedAt('guest', 0x2000))).toEqual([1025, 1]);
    });
  }
});

describe('completion context (section 8): iomap releases the pages in the end_io, before the task wakes', () => {
  const text = `
file out 64K
mmap buf 4K
write buf
dio write out 0 4K buf
complete all
`;
  for (const kernel of ['v6.4', 'v6.12']) {
    it(`under ${kernel}`, () => {
      const r = run(text, kernel);
      const line = lineOf(text, 'complete');
      const events = r.events.map((e, i) => ({ ...e, step: i + 1 })).filter((e) => e.line === line);
      const release = events.find((e) => (e.kind === 'pin' || e.kind === 'ref') && (e.delta ?? 0) < 0);
      const wake = events.find((e) => e.kind === 'task' && / wakes up/.test(e.text));
      expect(release).toBeDefined();
      expect(wake).toBeDefined();
      expect(release!.chain).toContain('bio_endio');
      expect(release!.chain).toContain('iomap_dio_bio_end_io');
      expect(release!.step).toBeLessThan(wake!.step);
    });
  }
});

describe('GUP-fast and FOLL_LONGTERM|FOLL_WRITE on file-backed folios (rows 20/21, v6.5+)', () => {
  const text = (backing: string) => `
file data 16K
mmap m 8K ${backing} shared
write m
pin q m 0 4K write longterm fast
`;
  const fastGaveUp = (r: Run, line: number) => r.events.some((e) => e.line === line && e.kind === 'gup' && e.chain.some((fn) => FAST_PATH_NAMES.has(fn)) && /gives up/.test(e.text));
  it('a regular MAP_SHARED file: GUP-fast refuses, the slow path refuses with -EFAULT', () => {
    const t = text('file=data');
    const r = run(t, 'v6.5');
    const snap = r.snapshot(r.lastStep);
    expect(snap.handles.find((h) => h.name === 'q')!.result).toBe(-14);
    expect(fastGaveUp(r, lineOf(t, 'pin q'))).toBe(true);
  });
  // gup_fast_folio_allowed() lets shmem folios through (shmem_mapping: no dirty tracking needed), so the pin
  // of a MAP_SHARED memfd page is taken by GUP-fast itself.
  it('a MAP_SHARED memfd (shmem): GUP-fast takes the pin itself', () => {
    const t = text('memfd');
    const r = run(t, 'v6.5');
    const line = lineOf(t, 'pin q');
    expect(fastGaveUp(r, line)).toBe(false);
    const pin = r.events.find((e) => e.line === line && e.kind === 'pin');
    expect(pin!.chain.some((fn) => FAST_PATH_NAMES.has(fn))).toBe(true);
  });
});

describe('the huge zero PMD on the newest kernels', () => {
  const text = `
mmap buf 2M thp
read buf
pin p buf 0 16K fast
`;
  it('v6.12: GUP-fast grabs the huge zero folio from the PMD leaf in one go', () => {
    const r = run(text, 'v6.12');
    const pin = r.events.find((e) => e.line === lineOf(text, 'pin p') && e.kind === 'pin');
    expect(pin!.chain).toContain('gup_fast_pmd_leaf');
    expect(series(r, stepsOf(r, lineOf(text, 'pin p')), HUGE_ZERO)).toEqual([1, 5]);
  });
  // "mm/huge_memory: mark PMD mappings of the huge zero folio special" (mm-new, Aug 2025, ~v6.18 inferred;
  // read in linux-next source, kernel-sources.md Q7): set_huge_zero_folio uses pmd_mkspecial, and
  // gup_fast_pmd_leaf returns 0 on pmd_special, so GUP-fast falls back; slow GUP still grabs the folio.
  it('latest: the huge zero PMD is special and GUP-fast falls back to the slow path', () => {
    const r = run(text, 'latest');
    const snap = r.snapshot(lastStepOf(r, lineOf(text, 'read buf')));
    const pmd = snap.tasks.find((t) => t.name === 'main')!.entries.find((e) => e.level === 'pmd')!;
    expect(pmd.special).toBe(true);
    const pin = r.events.find((e) => e.line === lineOf(text, 'pin p') && e.kind === 'pin');
    expect(pin!.chain).toContain('follow_huge_pmd');
    const end = folioIn(r.snapshot(r.lastStep), r.snapshot(r.lastStep).hugeZeroFolio)!;
    expect([end.refcount, end.pincount]).toEqual([5, 4]);
  });
});
