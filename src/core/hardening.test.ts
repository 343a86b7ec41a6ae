// Regression tests for issue 9 ("hard to break"): each case of its table. Inputs that do nothing cost nothing,
// budgets are checked up front or stop the run at once with a located message, a release beyond what a handle
// holds is a finding that changes nothing, and repeated findings are one finding with a count.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type SimulateOptions } from './index';

function run(text: string, options: SimulateOptions = {}) {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return simulate(parsed.scenario, options);
}

/** The error of a run that must fail. */
function failed(text: string, options: SimulateOptions = {}) {
  const outcome = run(text, options);
  if (outcome.ok) throw new Error('the run was expected to fail');
  return outcome;
}

function ok(text: string, options: SimulateOptions = {}) {
  const outcome = run(text, options);
  if (!outcome.ok) throw new Error(`${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  return outcome.run;
}

describe('a repeat whose body changes nothing costs nothing', () => {
  it('repeat 4294967296 with an empty body', () => {
    const r = ok('repeat 4294967296\nend\n', { maxStatements: 10 });
    expect(r.lastStep).toBeLessThanOrEqual(1);
  });

  it('repeat 1000000000 with only a note (and its note is not concatenated a billion times)', () => {
    const r = ok('mmap buf 4K\nrepeat 1000000000\nnote nothing happens\nend\nread buf\n', { maxStatements: 100 });
    const noted = r.events.filter((e) => e.note !== undefined);
    expect(noted.length).toBe(1);
    expect(noted[0]!.note!.length).toBeLessThan(100);
  });

  it('nested no-op repeats, a mark inside, and a read of memory that is already mapped', () => {
    ok('repeat 4294967296\nrepeat 4294967296\nmark x\nend\nend\n', { maxStatements: 1000 });
    const r = ok('mmap buf 8K\nwrite buf\nrepeat 4294967296\nread buf\nend\nexpect buf+0.refcount == 1\n', { maxStatements: 1000 });
    expect(r.expectations.every((e) => e.ok)).toBe(true);
  });

  it('still runs a repeat whose body does something, and still fast-forwards pins', () => {
    const r = ok('kernel v6.5\nmmap buf 4K\nwrite buf\nrepeat 100000\npin buf 0 4K\nend\nexpect buf+0.refcount == 102400001\n');
    expect(r.expectations[0]!.ok).toBe(true);
  });
});

describe('budgets', () => {
  it('a repeat of an expect that holds is checked once per iteration it stands for, without running them all', () => {
    const r = ok('mmap buf 4K\n  repeat 1000000000\n  expect leaks == 0\n  end\n');
    expect(r.expectations[0]).toMatchObject({ ok: true, checks: 1_000_000_000, failures: 0 });
    const nested = ok('repeat 100000\nrepeat 1000\nexpect leaks == 0\nend\nend\n');
    expect(nested.expectations[0]).toMatchObject({ ok: true, failures: 0 });
  });

  it('a repeat bound to run out of the work budget is refused within a few dozen iterations, at its line and column', () => {
    // Two unnamed pins on alternate lines never join one handle: every iteration makes new state, so nothing
    // can be fast-forwarded. No wall-time budget here (a loaded machine must not change the outcome).
    const outcome = run('kernel v6.5\nmmap buf 4K\nwrite buf\n  repeat 50000000\npin buf 0 4K\npin buf 0 4K\nend\n', { maxMillis: Infinity });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.message).toMatch(/this repeat would do more than 4,000,000 units of work/);
    expect(outcome.error).toMatchObject({ line: 4, col: 3 });
    expect(outcome.run).toBeDefined();
    // Stopped long before the budget itself was used up.
    expect(outcome.run!.lastStep).toBeLessThan(1000);
  });

  it('without the early refusal, the same repeat would have reached the budget: the projection is not a guess', () => {
    // 35 iterations cost what the projection assumes of every later one; the budget is met after
    // maxWork / (that cost) iterations, which a smaller count stays under.
    const small = ok('kernel v6.5\nmmap buf 4K\nwrite buf\nrepeat 5000\npin buf 0 4K\npin buf 0 4K\nend\n');
    expect(small.lastStep).toBeGreaterThan(0);
    const refused = run('kernel v6.5\nmmap buf 4K\nwrite buf\nrepeat 200000\npin buf 0 4K\npin buf 0 4K\nend\n', { maxWork: 200_000, maxMillis: Infinity });
    expect(refused.ok).toBe(false);
    const fits = run('kernel v6.5\nmmap buf 4K\nwrite buf\nrepeat 2000\npin buf 0 4K\npin buf 0 4K\nend\n', { maxWork: 200_000, maxMillis: Infinity });
    expect(fits.ok).toBe(true);
  });

  it('a named handle taken and released in every iteration reaches a steady state and is fast-forwarded', () => {
    const r = ok('kernel v6.5\nmmap buf 8K\nwrite buf\nrepeat 2097152\npin h buf 0 8K\nunpin h\nend\nexpect buf+0.refcount == 1\n', { maxMillis: Infinity });
    expect(r.expectations[0]!.ok).toBe(true);
    expect(r.lastStep).toBeLessThan(200);
  });

  it('a named handle accumulating in a long repeat is charged for its growing page list', () => {
    const outcome = failed('mmap buf 4K\nwrite buf\nrepeat 1000000\nget h buf 0 4K\nend\n');
    expect(outcome.error.message).toMatch(/units of work/);
  });

  it('one statement over a huge mapping is stopped by the work budget, not run to the end', () => {
    const outcome = failed('mmap buf 1024G\nread buf\n');
    expect(outcome.error).toMatchObject({ line: 2 });
  });

  it('a memory budget in bytes, with a message that says so', () => {
    const outcome = failed('mmap buf 1M\nwrite buf\n', { maxBytes: 64 * 1024 });
    expect(outcome.error.message).toMatch(/more than 0 MiB of memory/);
  });
});

describe('a release beyond what a handle holds is a finding and changes nothing', () => {
  const base = 'kernel v6.5\nmmap buf 8K\nwrite buf\n';

  it('put twice, then unmap and pin over the page: no internal error, refcounts intact', () => {
    const r = ok(`${base}get g buf 0 4K\nput g\nrepeat 2\nput g\nend\nmunmap buf\nmmap buf 8K\nread buf\npin buf 0 8K\nexpect violations == 2\n`);
    const bad = r.findings.filter((f) => f.kind === 'bad-release');
    expect(bad.length).toBe(1);
    expect(bad[0]!.count).toBe(2);
    expect(r.findings.some((f) => f.kind === 'refcount-mismatch')).toBe(false);
    expect(r.expectations[0]!.ok).toBe(true);
  });

  it('unpin of a FOLL_GET handle and put of a FOLL_PIN handle change nothing', () => {
    const r = ok(`${base}get g buf 0 4K\npin p buf 4K 4K\nunpin g\nput p\nexpect buf+0.refcount == 2\nexpect buf+4K.refcount == 1025\nput g\nunpin p\nexpect buf+0.refcount == 1\nexpect buf+4K.refcount == 1\nexpect leaks == 0\n`);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true, true, true, true]);
    expect(r.findings.filter((f) => f.kind === 'bad-release').length).toBe(2);
  });

  it('release of one call of an auto group twice', () => {
    const r = ok(`${base}repeat 5\npin buf 0 4K\nend\nunpin pin#3\nunpin pin#3\nexpect buf+0.refcount == 4097\n`);
    expect(r.expectations[0]!.ok).toBe(true);
  });
});

describe('findings summarize', () => {
  it('hundreds of thousands of refused pins at one statement are one finding with a count and first/last step', () => {
    // No wall-time budget here (a loaded machine must not change the outcome); the work budget applies.
    const r = ok('kernel v6.4\nmmap buf 4K\nread buf\nrepeat 2500000\npin buf 0 4K\nend\n', { maxMillis: Infinity });
    const refused = r.findings.filter((f) => f.kind === 'gup-refused');
    expect(refused.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(400_000);
    expect(refused.length).toBeLessThanOrEqual(2);
    const big = refused.find((f) => f.count > 1000)!;
    expect(big.lastStep).toBeGreaterThan(big.step);
    expect(r.lastStep).toBeLessThan(200);
  }, 60_000);

  it('a failing expect inside a repeat is one finding with a count', () => {
    const r = ok('mmap buf 4K\nrepeat 5\nexpect leaks == 1\nend\n');
    const failed = r.findings.filter((f) => f.kind === 'expect');
    expect(failed.length).toBe(1);
    expect(failed[0]!.count).toBe(5);
  });
});

describe('an exited task runs nothing more (do_exit does not return)', () => {
  it('a mapping or a pin after the only task exited is a located error, not a mapping nobody can tear down', () => {
    for (const action of ['mmap m 4K', 'read buf', 'pin buf 0 4K', 'fork']) {
      const outcome = failed(`kernel v6.5\nmmap buf 4K\nwrite buf\nexit\n${action}\n`);
      expect(outcome.error).toMatchObject({ line: 5, col: 1, message: expect.stringMatching(/task "main" has exited/) });
    }
  });

  it('releasing what it pinned and completing its I/O still work after the exit', () => {
    const r = ok('kernel v6.5\nmmap buf 4K\nwrite buf\npin p buf 0 4K\nexit\nunpin p\ncomplete all\nexpect leaks == 0\n');
    expect(r.expectations[0]!.ok).toBe(true);
  });
});


describe('a repeat with an expect in its body is still fast-forwarded', () => {
  // 2^21 pins of the zero page on v5.10: its refcount passes 2^31 on the last one.
  const overflow = (inner: string) => `kernel v5.10\nmmap buf 4K\nread buf\nrepeat 2097152\npin buf 0 4K\n${inner}\nend\n`;

  it('an expect that holds until the overflow fails exactly once, on the iteration that overflows', () => {
    const r = ok(overflow('expect zero.refcount > 0'), { maxMillis: Infinity });
    expect(r.expectations[0]).toMatchObject({ ok: false, checks: 2_097_152, failures: 1, actual: '-2147483647' });
    expect(r.lastStep).toBeLessThan(200);
  });

  it('an expect whose answer changes at a value of its own is checked for real where it changes', () => {
    // refcount is 1 + 1024·(j+1) after the pin of iteration j: below 10^6 up to j = 975, and again after the wrap.
    const r = ok(overflow('expect zero.refcount < 1000000'), { maxMillis: Infinity });
    expect(r.expectations[0]).toMatchObject({ ok: false, checks: 2_097_152, failures: 2_097_151 - 976, actual: '1000449' });
  });

  it('an == expect is checked at the one iteration where it holds', () => {
    const r = ok(overflow('expect zero.refcount != 512001'), { maxMillis: Infinity });
    // 1 + 1024·500 = 512001: iteration 499 is the one failure.
    expect(r.expectations[0]).toMatchObject({ ok: false, failures: 1, actual: '512001' });
  });

  it('gives the same answers, checks and findings as running every iteration (property)', () => {
    const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1200 }), cmp, fc.integer({ min: -5, max: 1_300_000 }), fc.boolean(), (count, op, value, zeroPage) => {
        const subject = zeroPage ? 'zero.refcount' : 'buf+0.refcount';
        const text = `kernel v5.10\nmmap buf 4K\n${zeroPage ? 'read' : 'write'} buf\nrepeat ${count}\npin buf 0 4K\nexpect ${subject} ${op} ${value}\nend\n`;
        const fast = ok(text, { maxMillis: Infinity });
        const slow = ok(text, { maxMillis: Infinity, fastForward: false });
        expect(fast.expectations).toEqual(slow.expectations);
        expect(fast.findings.map((f) => [f.kind, f.count])).toEqual(slow.findings.map((f) => [f.kind, f.count]));
      }),
      { numRuns: 60, seed: 20261203 },
    );
  });
});

describe('early refusal of a nested repeat', () => {
  it('an outer repeat whose iterations are costly is refused after a few of them', () => {
    const outcome = run('kernel v6.5\nmmap buf 4K\nwrite buf\nrepeat 1000\nrepeat 1000\npin buf 0 4K\npin buf 0 4K\nend\nend\n', { maxMillis: Infinity });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ line: 4, col: 1 });
    expect(outcome.error.message).toMatch(/this repeat would do more than 4,000,000 units of work/);
    // A handful of its 1,000 iterations ran, not the 140-odd that fit the budget.
    expect(outcome.error.message).toMatch(/99\d of its 1,000 remain/);
  });
});
