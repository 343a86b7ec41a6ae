// Golden event traces: the full, formatted event sequence of a few reference scenarios, kept in
// src/core/__golden__/*.trace. A change to any event (its order, call chain, text or count) shows up as a
// diff of these files. After an intended change, regenerate them with
//   npx vitest run src/core/golden.test.ts -u
// and read the diff: it is the review of what the change does to the story the simulator tells.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { formatTrace, simulate, type KernelConfig, type Run, type Snapshot } from './index';

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

function runOf(text: string, kernel?: KernelConfig): Run {
  const parsed = parseScenario(text, 'golden.scn');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const out = simulate(parsed.scenario, kernel ? { kernel } : {});
  if (!out.ok) throw new Error(`${out.error.line}:${out.error.col}: ${out.error.message}`);
  return out.run;
}

function trace(r: Run): string {
  return `${formatTrace(r)}\n`;
}

const v = (preset: string): KernelConfig => ({ preset, overrides: {} });

/** The state right after the first event whose call chain ends in `fn` (e.g. the moment of submit_bio). */
function after(r: Run, fn: string, nth = 0): Snapshot {
  const steps = r.events.flatMap((e, i) => (e.chain[e.chain.length - 1] === fn ? [i + 1] : []));
  if (steps[nth] === undefined) throw new Error(`no event #${nth} in ${fn}`);
  return r.snapshot(steps[nth]);
}

const refcount = (s: Snapshot, id: number) => s.folios.find((f) => f.id === id)?.refcount;

// Each trace is checked byte for byte, and what it means is asserted at chosen steps, so a regenerated trace
// cannot quietly change the story.
describe('golden event traces', () => {
  it('the spec example on v6.4 (FOLL_GET direct I/O: +1 on the zero page per occurrence)', async () => {
    const r = runOf(SPEC_EXAMPLE);
    const submitted = after(r, 'submit_bio');
    expect(submitted.bios.map((b) => b.bvecs.length)).toEqual([4]);
    expect(refcount(submitted, submitted.zeroFolio)).toBe(5);
    expect(refcount(r.snapshot(r.lastStep), submitted.zeroFolio)).toBe(1);
    await expect(trace(r)).toMatchFileSnapshot('./__golden__/spec-example-v6.4.trace');
  });

  it('the spec example on v6.5 (pinned direct I/O: the zero page is left alone)', async () => {
    const r = runOf(SPEC_EXAMPLE, v('v6.5'));
    const submitted = after(r, 'submit_bio');
    expect(submitted.bios[0]!.pinned).toBe(true);
    expect(submitted.bios[0]!.bvecs).toHaveLength(4);
    expect(refcount(submitted, submitted.zeroFolio)).toBe(1);
    await expect(trace(r)).toMatchFileSnapshot('./__golden__/spec-example-v6.5.trace');
  });

  it('a legacy-engine 512-byte extending write with 4K blocks on v6.4 (dio_zero_block takes zero-page references)', async () => {
    const r = runOf(LEGACY_EXTEND);
    const submitted = after(r, 'submit_bio');
    // One bio: the user's 512 bytes, then 3584 bytes of ZERO_PAGE(0), each with the bio's own reference.
    expect(submitted.bios[0]!.bvecs.map((b) => [b.folio === submitted.zeroFolio, b.len])).toEqual([[false, 512], [true, 3584]]);
    expect(refcount(submitted, submitted.zeroFolio)).toBe(2);
    await expect(trace(r)).toMatchFileSnapshot('./__golden__/legacy-extend-v6.4.trace');
  });

  it('a legacy-engine 512-byte extending write with 4K blocks on v6.5 (dio_zero_block pins nothing)', async () => {
    const r = runOf(LEGACY_EXTEND, v('v6.5'));
    const submitted = after(r, 'submit_bio');
    expect(submitted.bios[0]!.bvecs).toHaveLength(2);
    expect(refcount(submitted, submitted.zeroFolio)).toBe(1);
    await expect(trace(r)).toMatchFileSnapshot('./__golden__/legacy-extend-v6.5.trace');
  });

  it('an O_DIRECT read into never-written memory on v6.12', async () => {
    const r = runOf(READ_FRESH);
    const submitted = after(r, 'submit_bio');
    // FOLL_WRITE faulted in four fresh pages: four bvecs, none of them the zero page, each pinned (+1024).
    const bvecs = submitted.bios[0]!.bvecs;
    expect(bvecs).toHaveLength(4);
    expect(bvecs.some((b) => b.folio === submitted.zeroFolio)).toBe(false);
    expect(bvecs.map((b) => refcount(submitted, b.folio))).toEqual([1025, 1025, 1025, 1025]);
    await expect(trace(r)).toMatchFileSnapshot('./__golden__/dio-read-fresh-v6.12.trace');
  });
});
