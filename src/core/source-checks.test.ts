// Behaviours read from the kernel source where pinscope was found wrong (issue 8), one describe per kernel
// function, run on every preset where the behaviour applies. Each test reads the state the scenario's
// statements leave, so the rule itself is checked, not a particular event sequence.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';
import { PRESETS } from './policy';
import { parseKernelSpec } from './kernelspec';

const ALL = PRESETS.map((p) => p.name);

function run(text: string, kernel: string): Run {
  const parsed = parseScenario(text.trim() + '\n', 'check.scn');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  const outcome = simulate(parsed.scenario, { kernel: parseKernelSpec(kernel) });
  if (!outcome.ok) throw new Error(`${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  return outcome.run;
}

/** The failed expectations of a run, as text (empty when all held). */
function failures(r: Run): string {
  return r.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.text} — actual ${e.actual}`).join('\n');
}

/** Entries (PTEs and PMD leaves) that task `task` has inside mapping `vma` at the end of the run. */
function entriesIn(r: Run, task: string, vma: string) {
  const s = r.snapshot(r.lastStep);
  const t = s.tasks.find((x) => x.name === task)!;
  const v = t.vmas.find((x) => x.name === vma)!;
  return t.entries.filter((e) => e.va >= v.start && e.va < v.end);
}

describe('vma_needs_copy (mm/memory.c): fork copies the page tables of a VMA only if it has an anon_vma', () => {
  for (const kernel of ALL) {
    it(`${kernel}: a private anon mapping that was only read (zero-page PTEs, no anon_vma) is not copied`, () => {
      const r = run(`
mmap buf 16K
read buf
fork child
task child
expect buf+0.kind == none
read buf 0 4K
expect buf+0.kind == zero
`, kernel);
      expect(failures(r)).toBe('');
      expect(entriesIn(r, 'main', 'buf').length).toBe(4);
      // The child's only entry is the one its own read fault made after the fork.
      expect(entriesIn(r, 'child', 'buf').length).toBe(1);
    });

    it(`${kernel}: one write (anon_vma_prepare in do_anonymous_page) makes fork copy every PTE, zero-page ones too`, () => {
      const r = run(`
mmap buf 16K
read buf
write buf 0 4K
fork child
task child
expect buf+0.kind == anon
expect buf+0.refcount == 2
expect buf+0x3000.kind == zero
`, kernel);
      expect(failures(r)).toBe('');
      expect(entriesIn(r, 'child', 'buf').length).toBe(4);
    });

    it(`${kernel}: a THP range read once has an anon_vma (do_huge_pmd_anonymous_page prepares it first): the huge zero PMD is copied`, () => {
      const r = run(`
mmap buf 2M thp
read buf
fork child
task child
expect buf+0.kind == hugezero
`, kernel);
      expect(failures(r)).toBe('');
    });

    it(`${kernel}: a private file mapping only read is not copied; after a COW write (do_cow_fault) it is`, () => {
      const r = run(`
file data 16K
mmap m 8K file=data private
read m 0 4K
fork c1
task c1
expect m+0.kind == none
task main
write m 4K 4K
fork c2
task c2
expect m+0.kind == file
expect m+0.refcount == 3
expect m+0x1000.kind == anon
`, kernel);
      expect(failures(r)).toBe('');
    });
  }
});

describe('iter_to_pipe / add_to_pipe (fs/splice.c): vmsplice fills only the free buffers of the pipe', () => {
  const TEXT = `
mmap buf 256K
read buf
pipe p
vmsplice p buf 0 256K nonblock
vmsplice p buf 0 4K nonblock
expect p.bytes == -EAGAIN
`;
  for (const kernel of ALL) {
    it(`${kernel}: 64 zero-page pages into a default pipe: 16 taken, the second batch of 16 taken and put back`, () => {
      const r = run(TEXT, kernel);
      expect(failures(r)).toBe('');
      const line = 4;
      const steps = r.events.map((e, i) => (e.line === line ? i + 1 : 0)).filter((n) => n > 0);
      const zero = (step: number) => r.snapshot(step).folios.find((f) => f.kind === 'zero')!.refcount;
      expect(Math.max(...steps.map(zero))).toBe(33);
      expect(zero(steps[steps.length - 1]!)).toBe(17);
      const pipe = r.snapshot(r.lastStep);
      expect(pipe.folios.find((f) => f.kind === 'zero')!.refcount).toBe(17);
    });
  }

  it('F_SETPIPE_SZ rounds up to a power of two pages (round_pipe_size): 100K gives 32 buffers', () => {
    const r = run(`
mmap buf 256K
read buf
pipe p size=100K
vmsplice p buf 0 256K nonblock
expect p.result == 32
expect p.bytes == 131072
expect zero.refcount == 33
`, 'v6.12');
    expect(failures(r)).toBe('');
  });

  it('a vmsplice that starts inside a page returns bytes, not pages', () => {
    const r = run(`
mmap buf 256K
write buf
vmsplice p buf 0x800 128K nonblock
expect p.result == 16
expect p.bytes == 63488
`, 'v6.12');
    expect(failures(r)).toBe('');
  });

  it('without nonblock a full pipe would put the task to sleep (wait_for_space): the run stops with an error', () => {
    const parsed = parseScenario('mmap buf 128K\nread buf\nvmsplice p buf 0 64K\nvmsplice p buf 0 4K\n', 'block.scn');
    if (!parsed.ok) throw new Error('parse');
    const outcome = simulate(parsed.scenario, { kernel: parseKernelSpec('latest') });
    const message = outcome.ok ? 'the run succeeded' : `${outcome.error.line}: ${outcome.error.message}`;
    expect(message).toMatch(/^4: vmsplice would sleep: the pipe p is full \(16 buffers\)/);
  });
});

describe('do_huge_pmd_wp_page (mm/huge_memory.c): a PMD-mapped THP with refcount 1 is reused, not split', () => {
  const UNSHARE = `
mmap buf 2M thp
write buf
fork child
exit child
label thp buf+0
pin p buf 0 4K longterm
expect p.result == 1
expect buf+0.pte.pmd == true
expect buf+0.pte.writable == false
expect thp.refcount == 2
expect thp.pincount == 1
expect buf+0x1000.refcount == 2
`;
  for (const kernel of ALL) {
    it(`${kernel}: a R/O long-term pin of a THP no longer shared pins the THP itself (unshare: folio_move_anon_rmap, return 0)`, () => {
      const r = run(UNSHARE + (kernel === 'v5.10' ? '' : 'expect thp.exclusive == true\n'), kernel);
      expect(failures(r)).toBe('');
      // No 4 KiB copy was made: the only anon folio is the THP.
      expect(r.snapshot(r.lastStep).folios.filter((f) => f.kind === 'anon').map((f) => f.order)).toEqual([9]);
    });
  }

  const WRITE = `
mmap buf 2M thp
write buf
fork child
exit child
get g buf 0 4K
write buf 0 4K
`;
  it('v5.10: a write reuses a THP mapped once even with a GUP reference (reuse_swap_page looks at the mapcount)', () => {
    const r = run(`${WRITE}expect buf+0.pte.pmd == true\nexpect buf+0.pte.writable == true\nexpect buf+0.refcount == 2\n`, 'v5.10');
    expect(failures(r)).toBe('');
  });
  for (const kernel of ALL.filter((k) => k !== 'v5.10')) {
    it(`${kernel}: a write to a non-exclusive THP with refcount 2 splits it and copies the page`, () => {
      const r = run(`${WRITE}expect buf+0.pte.pmd == false\nexpect buf+0.refcount == 1\nexpect buf+0x1000.refcount == 512\n`, kernel);
      expect(failures(r)).toBe('');
    });
  }
});

describe('do_huge_zero_wp_pmd (mm/huge_memory.c, v6.13): an unshare fault on the huge zero PMD allocates a THP too', () => {
  const TEXT = `
mmap buf 2M thp
read buf
pin p buf 0 4K longterm
expect p.result == 1
`;
  // From v6.2 a R/O long-term pin in a COW mapping unshares the huge zero folio (unshare=cow).
  for (const kernel of ALL.slice(ALL.indexOf('v6.2'))) {
    const thp = kernel === 'latest';
    it(`${kernel}: ${thp ? 'a new writable PMD THP replaces the huge zero folio and the pin lands on it' : 'the PMD is split and one 4 KiB page is copied (before do_huge_zero_wp_pmd)'}`, () => {
      const after = thp
        ? 'expect buf+0.pte.pmd == true\nexpect buf+0.pte.writable == true\nexpect buf+0.refcount == 2\nexpect buf+0.pincount == 1\nexpect buf+0x1000.kind == anon\n'
        : 'expect buf+0.pte.pmd == false\nexpect buf+0.pte.writable == false\nexpect buf+0.refcount == 1025\nexpect buf+0x1000.kind == zero\n';
      const r = run(TEXT + after, kernel);
      expect(failures(r)).toBe('');
    });
  }
  it('v6.12 with huge-zero-wp=thp (the v6.13 behaviour as a toggle) allocates the THP on the unshare fault', () => {
    const r = run(`${TEXT}expect buf+0.pte.pmd == true\nexpect buf+0.refcount == 2\n`, 'v6.12 huge-zero-wp=thp');
    expect(failures(r)).toBe('');
  });
});

describe('change_pte_range / can_change_pte_writable (mm/mprotect.c): which entries mprotect(rw) makes writable', () => {
  // [dirty exclusive anon PTE, clean exclusive anon PTE, exclusive THP PMD] made writable at once?
  const expected: Record<string, [boolean, boolean, boolean]> = {
    'v5.10': [false, false, false], 'v5.19': [false, false, false], 'v6.0': [true, false, false], 'v6.1': [true, false, false],
  };
  const TEXT = `
mmap shared 4K
write shared
fork child
pin p shared 0 4K longterm
mmap dirty 4K
write dirty
mmap huge 2M thp
write huge
mprotect dirty ro
mprotect shared ro
mprotect huge ro
expect huge+0.pte.writable == false
mprotect dirty rw
mprotect shared rw
mprotect huge rw
`;
  for (const kernel of ALL) {
    const [dirty, clean, pmd] = expected[kernel] ?? [true, true, true];
    it(`${kernel}: dirty exclusive PTE ${dirty}, clean exclusive PTE ${clean}, exclusive THP PMD ${pmd}`, () => {
      const checks = [`expect dirty+0.pte.writable == ${dirty}`, `expect huge+0.pte.writable == ${pmd}`, 'expect huge+0.pte.pmd == true'];
      // The clean exclusive page is the R/O copy that unsharing made (v5.19+); v5.10 pinned the shared page.
      if (kernel !== 'v5.10') checks.push('expect shared+0.pte.dirty == false', `expect shared+0.pte.writable == ${clean}`);
      const r = run(`${TEXT}${checks.join('\n')}\nunpin p\n`, kernel);
      expect(failures(r)).toBe('');
    });
  }

  it('a page shared with a child is never made writable by mprotect, on any release', () => {
    for (const kernel of ALL) {
      const r = run('mmap buf 4K\nwrite buf\nfork child\nmprotect buf ro\nmprotect buf rw\nexpect buf+0.pte.writable == false\n', kernel);
      expect(`${kernel}: ${failures(r)}`).toBe(`${kernel}: `);
    }
  });

  it('a partial mprotect splits a PMD it covers in part (change_pmd_range) and no THP is faulted across the edge', () => {
    const r = run(`
mmap huge 4M thp
write huge 0 4K
mprotect huge ro 4K 4K
expect huge+0.pte.pmd == false
expect huge+0x1000.pte.writable == false
expect huge+0x2000.pte.writable == true
mprotect huge ro 0x200000 4K
write huge 0x201000 4K
expect huge+0x201000.pte.pmd == false
expect huge+0x201000.refcount == 1
`, 'v6.12');
    expect(failures(r)).toBe('');
  });
});

describe('dup_mmap (kernel/fork.c): VM_DONTCOPY and VM_WIPEONFORK, the VMA flags that bypass copy_page_range', () => {
  for (const kernel of ALL) {
    it(`${kernel}: MADV_DONTFORK leaves the mapping out of the child, so a pinned page is neither copied nor shared`, () => {
      const r = run(`
mmap buf 4K
write buf
pin p buf 0 4K longterm write
madvise buf dontfork
mmap other 4K
write other
fork child
expect buf+0.refcount == 1025
expect buf+0.mapcount == 1
${kernel === 'v5.10' ? '' : 'expect buf+0.exclusive == true'}
task child
expect other+0.refcount == 2
`, kernel);
      expect(failures(r)).toBe('');
      const child = r.snapshot(r.lastStep).tasks.find((t) => t.name === 'child')!;
      expect(child.vmas.map((v) => v.name)).toEqual(['other']);
    });

    it(`${kernel}: MADV_WIPEONFORK gives the child the mapping empty and without an anon_vma`, () => {
      const r = run(`
mmap buf 8K
write buf
madvise buf wipeonfork
fork child
expect buf+0.refcount == 1
task child
expect buf+0.kind == none
read buf 0 4K
expect buf+0.kind == zero
fork grandchild
task grandchild
expect buf+0.kind == none
`, kernel);
      expect(failures(r)).toBe('');
    });
  }

  it('MADV_WIPEONFORK on a file mapping is refused (EINVAL); MADV_KEEPONFORK and MADV_DOFORK undo the flags', () => {
    const parsed = parseScenario('file f 4K\nmmap m 4K file=f private\nmadvise m wipeonfork\n', 'wipe.scn');
    if (!parsed.ok) throw new Error('parse');
    const outcome = simulate(parsed.scenario, { kernel: parseKernelSpec('latest') });
    expect(outcome.ok ? 'ran' : outcome.error.message).toMatch(/only on private anonymous mappings.*EINVAL/);
    const r = run('mmap buf 4K\nwrite buf\nmadvise buf wipeonfork\nmadvise buf keeponfork\nmadvise buf dontfork\nmadvise buf dofork\nfork child\ntask child\nexpect buf+0.refcount == 2\n', 'latest');
    expect(failures(r)).toBe('');
  });
});
