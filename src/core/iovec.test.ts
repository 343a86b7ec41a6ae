// Vectored direct I/O: iovecs that meet at a page boundary in one mapping are one buffer to the kernel's page
// extraction (iov_iter_extract_pages stops at each iovec's end, the next call goes on from the next page);
// other layouts are refused until the engines walk iovecs.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';
import { PRESETS } from './policy';
import { parseKernelSpec } from './kernelspec';

function outcome(text: string, kernel: string) {
  const parsed = parseScenario(text.trim() + '\n', 'check.scn');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  return simulate(parsed.scenario, { kernel: parseKernelSpec(kernel) });
}

function run(text: string, kernel: string): Run {
  const o = outcome(text, kernel);
  if (!o.ok) throw new Error(`${o.error.line}:${o.error.col}: ${o.error.message}`);
  return o.run;
}

/** What a run leaves: every folio's counters, and each bio's pages. */
function counts(r: Run) {
  const s = r.snapshot(r.lastStep);
  return { folios: s.folios.map((f) => [f.kind, f.refcount, f.mapcount, f.pincount]), dios: r.expectations.map((e) => e.actual) };
}

const SETUP = `
file out 64K fs=FS
mmap buf 32K
read buf 0 16K
write buf 16K 16K
`;

describe('iov_iter_extract_pages (lib/iov_iter.c) over iovecs meeting at a page boundary', () => {
  for (const kernel of PRESETS.map((p) => p.name)) {
    for (const fs of ['legacy', 'iomap', 'blockdev']) {
      it(`${kernel}, fs=${fs}: three iovecs over 12 KiB of zero pages and anon pages count as one 12 KiB buffer`, () => {
        const tail = `
expect dio#1.bios >= 1
expect dio#1.state != building
expect zero.refcount >= 1
`;
        const vectored = run(`${SETUP.replace('FS', fs)}dio write out 0 12K buf+12K:4K buf+16K:4K buf+20K:4K\n${tail}`, kernel);
        const single = run(`${SETUP.replace('FS', fs)}dio write out 0 12K buf 12K\n${tail}`, kernel);
        expect(counts(vectored)).toEqual(counts(single));
        expect(vectored.expectations.every((e) => e.ok)).toBe(true);
      });
    }
  }

  it('refuses iovecs in two mappings, at the iovec, saying why', () => {
    const o = outcome(`
file out 64K
mmap a 8K
mmap b 8K
dio write out 0 8K a+0:4K b+0:4K
`, 'latest');
    expect(o.ok ? 'ran' : `${o.error.line}:${o.error.col} ${o.error.message.slice(0, 40)}`).toBe('4:1 2 separate user buffers (a+0:4096, b+0:4');
  });

  it('refuses iovecs that meet inside a page (the page would be extracted twice)', () => {
    const o = outcome(`
file out 64K
mmap a 8K
dio write out 0 4K a+0:2K a+2K:2K
`, 'latest');
    expect(o.ok).toBe(false);
  });

  it('an iovec past its mapping is an error at that iovec', () => {
    const o = outcome(`
file out 64K
mmap a 8K
dio write out 0 8K a+0:4K a+8K:4K
`, 'latest');
    expect(o.ok ? 'ran' : `${o.error.line}:${o.error.col}`).toBe('3:27');
  });
});
