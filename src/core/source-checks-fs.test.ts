// Filesystems that reach fs/direct-io.c, by name (src/core/filesystems.ts), checked on every preset.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';
import { PRESETS, resolveKernel } from './policy';
import { parseKernelSpec } from './kernelspec';

const ALL = PRESETS.map((p) => p.name);

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

function failures(r: Run): string {
  return r.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.text} — actual ${e.actual}`).join('\n');
}

function ext2Legacy(kernel: string): boolean {
  const k = resolveKernel(parseKernelSpec(kernel) as never);
  if (!k.ok) throw new Error(k.message);
  return k.kernel.policy['ext2-dio'] === 'legacy';
}

// 512 bytes from never-written memory (zero-page PTEs) at the end of the file, into a new block: the case where
// fs/direct-io.c zeroes the rest of the block with dio_zero_block.
const EXTENDING = (fs: string) => `
file out 8K fs=${fs}
mmap buf 8K
read buf
dio write out 8K 512 buf
complete
expect dio#1.result == 512
`;

describe('fat_direct_IO (fs/fat/inode.c): a write past the initialized size returns 0 and goes buffered', () => {
  for (const kernel of ALL) {
    it(`${kernel}: an extending 512-byte write on FAT builds no bio and takes no page, so dio_zero_block never runs`, () => {
      const r = run(`${EXTENDING('fat')}
expect dio#1.bios == 0
expect dio#1.state == fallback
`, kernel);
      expect(failures(r)).toBe('');
      expect(r.events.some((e) => e.chain.includes('dio_zero_block') || e.chain.includes('__blockdev_direct_IO'))).toBe(false);
      // The zero page was never taken by the write.
      for (let step = 1; step <= r.lastStep; step++) expect(r.refcountAt(1, step) ?? 1).toBe(1);
    });

    it(`${kernel}: the same write on UDF (udf_direct_IO → blockdev_direct_IO) goes direct and zeroes the block's tail`, () => {
      const r = run(`${EXTENDING('udf')}
expect dio#1.bios == 1
expect dio#1.state == done
`, kernel);
      expect(failures(r)).toBe('');
      expect(r.events.some((e) => e.chain.includes('dio_zero_block'))).toBe(true);
    });

    it(`${kernel}: a FAT write inside the file goes through blockdev_direct_IO like any legacy filesystem`, () => {
      const r = run(`
file out 8K fs=fat
mmap buf 4K
write buf
dio write out 0 4K buf
expect dio#1.bios == 1
complete
expect dio#1.result == 4096
`, kernel);
      expect(failures(r)).toBe('');
    });
  }
});

describe('ext2_direct_IO (fs/ext2/inode.c): fs/direct-io.c until ext2 moved to iomap (fb5de4358e1a)', () => {
  for (const kernel of ALL) {
    const legacy = ext2Legacy(kernel);
    it(`${kernel}: fs=ext2-legacy ${legacy ? 'is the legacy engine' : 'is refused: ext2 uses iomap here'}`, () => {
      const o = outcome(`${EXTENDING('ext2-legacy')}\nexpect dio#1.bios == 1\n`, kernel);
      expect({ ok: o.ok, error: o.ok ? '' : o.error.message.slice(0, 40), line: o.ok ? 0 : o.error.line }).toEqual(
        legacy ? { ok: true, error: '', line: 0 } : { ok: false, error: 'fs=ext2-legacy: on this kernel ext2 does', line: 1 },
      );
    });
  }
});
