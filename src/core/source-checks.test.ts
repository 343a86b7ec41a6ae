// Behaviours read from the kernel source where pinscope was found wrong (issue 8), one describe per kernel
// function, run on every preset where the behaviour applies. Each test reads the state the scenario's
// statements leave, so the rule itself is checked, not a particular event sequence.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';
import { PRESETS, parseKernelSpec } from './policy';

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
