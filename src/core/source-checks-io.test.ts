// process_vm_readv/writev and io_uring fixed buffers, read from the kernel source (issue 8), on every preset
// where the behaviour differs. Each test reads counts the scenario leaves, or the counts at every step.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';
import { PRESETS, resolveKernel } from './policy';
import { parseKernelSpec } from './kernelspec';

const ALL = PRESETS.map((p) => p.name);

function run(text: string, kernel: string): Run {
  const parsed = parseScenario(text.trim() + '\n', 'check.scn');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  const outcome = simulate(parsed.scenario, { kernel: parseKernelSpec(kernel) });
  if (!outcome.ok) throw new Error(`${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  return outcome.run;
}

function failures(r: Run): string {
  return r.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.text} — actual ${e.actual}`).join('\n');
}

function policyOf(kernel: string) {
  const k = resolveKernel(parseKernelSpec(kernel) as never);
  if (!k.ok) throw new Error(k.message);
  return k.kernel.policy;
}

/** The zero page's refcount at every step where it changed, in order (the zero page is folio 1). */
function zeroSeries(r: Run): number[] {
  const out: number[] = [];
  for (let step = 1; step <= r.lastStep; step++) {
    const c = r.refcountAt(1, step);
    if (c !== undefined && c !== out[out.length - 1]) out.push(c);
  }
  return out;
}

describe('process_vm_rw_single_vec (mm/process_vm_access.c): pin_user_pages_remote on the other task, batch by batch', () => {
  for (const kernel of ALL) {
    const counted = policyOf(kernel)['zero-pin'] === 'count';
    it(`${kernel}: process_vm_readv of 4 zero-page PTEs ${counted ? 'takes the zero page 1→1025→2049→3073→4097→…→1' : 'leaves the zero page at 1 (is_zero_folio)'}`, () => {
      const r = run(`
mmap buf 16K
mmap other 4K
write other
fork peer
task peer
read buf
task main
pvm read r peer buf 0 16K
expect r.result == 16384
expect zero.refcount == 1
`, kernel);
      expect(failures(r)).toBe('');
      const series = zeroSeries(r);
      expect(series.slice(0, 5)).toEqual(counted ? [1, 1025, 2049, 3073, 4097] : [1]);
      expect(series[series.length - 1]).toBe(1);
    });
  }

  it('pins at most PVM_MAX_USER_PAGES (1024) pages per call: 5 MiB (1280 pages) is one full batch and one of 256, each unpinned before the next', () => {
    const r = run(`
mmap buf 5M
write buf
fork peer
pvm read peer buf 0 5M
`, 'v6.1');
    const calls = r.events.filter((e) => e.kind === 'gup' && e.text.startsWith('pin_user_pages_remote(')).map((e) => /, (\d+) pages?/.exec(e.text)?.[1]);
    expect(calls).toEqual(['1024', '256']);
    // Nothing is pinned when the call returns.
    const s = r.snapshot(r.lastStep);
    expect(s.folios.every((f) => f.pincount === 0 && (f.refcount & 1023) === f.refcount)).toBe(true);
  });

  for (const kernel of ALL) {
    it(`${kernel}: process_vm_writev pins with FOLL_WRITE, so a COW-shared page is copied in the remote task and dirtied`, () => {
      const r = run(`
mmap buf 4K
write buf
writeback buf
fork peer
pvm write peer buf 0 4K
task peer
expect buf+0.refcount == 1
expect buf+0.dirty == true
task main
expect buf+0.refcount == 1
expect buf+0.dirty == false
`, kernel);
      expect(failures(r)).toBe('');
    });
  }
});

describe('io_sqe_buffer_register (io_uring/rsrc.c): FOLL_WRITE|FOLL_LONGTERM pins, coalesced per folio', () => {
  for (const kernel of ALL) {
    const mode = policyOf(kernel)['uring-coalesce'];
    it(`${kernel}: 16 KiB of a PMD THP ends at ${mode === 'pages' ? 'refcount 5 / pincount 4' : 'refcount 2 / pincount 1 (io_coalesce_buffer)'}`, () => {
      const r = run(`
mmap big 2M thp
write big
uring register u big 0 16K
expect u.pages == ${mode === 'pages' ? 4 : 1}
expect big+0.refcount == ${mode === 'pages' ? 5 : 2}
expect big+0.pincount == ${mode === 'pages' ? 4 : 1}
uring unregister u
expect big+0.refcount == 1
expect big+0.pincount == 0
`, kernel);
      expect(failures(r)).toBe('');
    });

    it(`${kernel}: a buffer over two THPs coalesces ${mode === 'folios' ? 'into one bvec per folio (v6.12)' : mode === 'folio' ? 'only within one folio, so not at all (v6.3)' : 'never'}`, () => {
      const r = run(`
mmap big 4M thp
write big
uring register u big 0x1fe000 16K
expect u.pages == ${mode === 'folios' ? 2 : 4}
expect big+0x1fe000.pincount == ${mode === 'folios' ? 1 : 2}
expect big+0x200000.pincount == ${mode === 'folios' ? 1 : 2}
uring unregister u
`, kernel);
      expect(failures(r)).toBe('');
    });

    it(`${kernel}: small folios are never coalesced`, () => {
      const r = run(`
mmap buf 16K
write buf
uring register u buf 0 16K
expect u.pages == 4
expect buf+0.refcount == 1025
uring unregister u
expect buf+0.refcount == 1
`, kernel);
      expect(failures(r)).toBe('');
    });
  }

  for (const kernel of ['v6.1', 'v6.12']) {
    it(`${kernel}: registration over the huge zero folio takes a write fault: the PMD is split and 4 KiB pages are copied`, () => {
      const r = run(`
mmap big 2M thp
read big
expect big+0.kind == hugezero
uring register u big 0 8K
expect big+0.kind == anon
expect big+0.pte.pmd == false
expect big+0x2000.kind == zero
uring unregister u
`, kernel);
      expect(failures(r)).toBe('');
    });
  }

  for (const kernel of ALL) {
    const refuse = policyOf(kernel)['longterm-file-write'] === 'refuse';
    it(`${kernel}: registration fails with -EFAULT on a read-only mapping${refuse ? ' and on a MAP_SHARED regular file (writable_file_mapping_allowed)' : ''}, holding nothing`, () => {
      const r = run(`
mmap ro 8K ro
read ro
uring register a ro 0 8K
expect a.result == -EFAULT
expect a.pages == 0
expect ro+0.refcount == 1
file f 8K
mmap sh 8K file=f shared
read sh
uring register b sh 0 8K
expect b.result ${refuse ? '== -EFAULT' : '== 2'}
expect sh+0.refcount ${refuse ? '== 2' : '== 1026'}
`, kernel);
      expect(failures(r)).toBe('');
    });
  }

  it('a fixed buffer pinned before fork stays with the parent; the child gets a copy (folio_try_dup_anon_rmap_pte)', () => {
    const r = run(`
mmap buf 4K
write buf
uring register u buf 0 4K
fork child
task child
expect buf+0.refcount == 1
task main
expect buf+0.refcount == 1025
`, 'v6.12');
    expect(failures(r)).toBe('');
  });
});
