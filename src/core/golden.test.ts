// Golden event traces: the full, formatted event sequence of a few reference scenarios, kept in
// src/core/__golden__/*.trace. A change to any event (its order, call chain, text or count) shows up as a
// diff of these files. After an intended change, regenerate them with
//   npx vitest run src/core/golden.test.ts -u
// and read the diff: it is the review of what the change does to the story the simulator tells.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { formatTrace, simulate, type KernelConfig } from './index';

/** The example of the scenario-language spec, verbatim. */
const SPEC_EXAMPLE = `title O_DIRECT write from a buffer that was only ever read
kernel v6.4
file out 64K fs=blockdev
mmap buf 16K
read buf                     # read faults: every PTE maps the shared zero page
mark Submit
dio write out 0 16K buf      # FOLL_GET: +1 on the zero page per occurrence
expect zero.refcount == 5
mark Complete
complete all
expect zero.refcount == 1
expect leaks == 0
`;

/**
 * fs/direct-io.c with 4 KiB blocks and 512-byte sectors: a 512-byte write past EOF gets a new block, and
 * dio_zero_block() writes the other 3584 bytes of that block from ZERO_PAGE(0) in the same bio.
 */
const LEGACY_EXTEND = `title Legacy direct I/O: a 512-byte write that extends the file (dio_zero_block)
kernel v6.4
file out 4K fs=legacy blocksize=4K
mmap buf 4K
write buf
mark Submit
dio write out 4K 512 buf
mark Complete
complete all
expect leaks == 0
expect violations == 0
`;

/** FOLL_WRITE GUP write-faults fresh anon pages: the zero page is never seen; the pages are dirtied. */
const READ_FRESH = `title O_DIRECT read into memory that was never written
kernel v6.12
file in 16K
mmap buf 16K
mark Submit
dio read in 0 16K buf
expect zero.refcount == 1
mark Complete
complete all
expect buf+0.refcount == 1
expect buf+0.dirty == true
expect leaks == 0
`;

function trace(text: string, kernel?: KernelConfig): string {
  const parsed = parseScenario(text, 'golden.scn');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const out = simulate(parsed.scenario, kernel ? { kernel } : {});
  if (!out.ok) throw new Error(`${out.error.line}:${out.error.col}: ${out.error.message}`);
  return `${formatTrace(out.run)}\n`;
}

const v = (preset: string): KernelConfig => ({ preset, overrides: {} });

describe('golden event traces', () => {
  it('the spec example on v6.4 (FOLL_GET direct I/O: +1 on the zero page per occurrence)', async () => {
    await expect(trace(SPEC_EXAMPLE)).toMatchFileSnapshot('./__golden__/spec-example-v6.4.trace');
  });

  it('the spec example on v6.5 (pinned direct I/O: the zero page is left alone)', async () => {
    await expect(trace(SPEC_EXAMPLE, v('v6.5'))).toMatchFileSnapshot('./__golden__/spec-example-v6.5.trace');
  });

  it('a legacy-engine 512-byte extending write with 4K blocks on v6.4 (dio_zero_block takes zero-page references)', async () => {
    await expect(trace(LEGACY_EXTEND)).toMatchFileSnapshot('./__golden__/legacy-extend-v6.4.trace');
  });

  it('a legacy-engine 512-byte extending write with 4K blocks on v6.5 (dio_zero_block pins nothing)', async () => {
    await expect(trace(LEGACY_EXTEND, v('v6.5'))).toMatchFileSnapshot('./__golden__/legacy-extend-v6.5.trace');
  });

  it('an O_DIRECT read into never-written memory on v6.12', async () => {
    await expect(trace(READ_FRESH)).toMatchFileSnapshot('./__golden__/dio-read-fresh-v6.12.trace');
  });
});
