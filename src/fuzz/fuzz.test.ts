// The fuzzer in CI (issue 9): a fixed seed and a bounded number of inputs from each generator, every property
// checked (src/fuzz/fuzz.ts), and every saved failure (src/fuzz/fixtures/*.scn) replayed. `npm run fuzz` runs
// the same campaign over 100,000 inputs (scripts/fuzz.ts).
//
// The budgets here are smaller than the simulator's defaults (work 200,000 units, 1 s) so that 2,000 inputs
// fit in CI's time on a small machine; the properties do not depend on the budget's size.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate } from '../core';
import { FUZZ_CHECK, checkInput, fuzz, inputAt, parseUsage, shrink, type CheckOptions } from './fuzz';
import { STATEMENT_KEYWORDS, USAGE } from '../scenario';

const CI_CHECK: CheckOptions = FUZZ_CHECK;
const SEED = 20260903;
const COUNT = Number(process.env.FUZZ_CI_COUNT ?? 2_000);

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...scenarioFiles(p));
    else if (e.name.endsWith('.scn')) out.push(p);
  }
  return out.sort();
}

const shipped = scenarioFiles('scenarios').map((f) => readFileSync(f, 'utf8'));
const fixtures = scenarioFiles('src/fuzz/fixtures');

describe('the fuzzer', () => {
  it('derives a grammar for every statement from the parser usage table', () => {
    for (const k of STATEMENT_KEYWORDS) expect(parseUsage(USAGE[k]).length).toBeGreaterThan(0);
    // Options and placeholders are found: `pin` has its three flags and a HANDLE.
    expect(JSON.stringify(parseUsage(USAGE.pin))).toMatch(/longterm.*fast/);
    expect(JSON.stringify(parseUsage(USAGE.pin))).toContain('"HANDLE"');
  });

  it('its inputs are deterministic in (seed, index) and come from all three generators', () => {
    expect(inputAt(SEED, 5, shipped).text).toBe(inputAt(SEED, 5, shipped).text);
    expect(new Set([0, 1, 2].map((i) => inputAt(SEED, i, shipped).generator))).toEqual(new Set(['soup', 'grammar', 'mutate']));
  });

  it('its checks can fail: an input that breaks a property is caught and shrunk', () => {
    const text = 'mmap buf 4K\nwrite buf\nread buf\nrepeat 1000\n  pin buf 0 4K\nend\nread buf\n';
    // A 1 ms guard with a clock that advances 5 ms per reading fails the time property.
    let t = 0;
    const slow: CheckOptions = { ...CI_CHECK, timeLimitMs: 1, now: () => (t += 5) };
    expect(checkInput(text, slow).failure?.property).toBe('time');
    const shrunk = shrink(text, 'time', slow);
    expect(shrunk.length).toBeLessThan(text.length);
    expect(checkInput(shrunk, slow).failure?.property).toBe('time');
  });

  it(`${COUNT.toLocaleString('en-US')} inputs (seed ${SEED}): no throw, no unlocated error, no time-guard overrun, refcount = sum of holders, no leak after a v6.5+ teardown`, () => {
    const report = fuzz({ seed: SEED, count: COUNT, shipped, check: CI_CHECK });
    const summary = report.failures.map((f) => `input ${f.index} (${f.generator}): ${f.property}: ${f.message}\n--- shrunk ---\n${f.shrunk}`);
    expect(summary).toEqual([]);
    expect(report.inputs).toBe(COUNT);
    // The campaign reaches the properties that need a run: many inputs run, and some are torn down.
    expect(report.inputs - report.errored).toBeGreaterThan(COUNT / 10);
    expect(report.teardownChecked).toBeGreaterThan(COUNT / 50);
  }, 240_000);
});

describe('saved failures (src/fuzz/fixtures) replay clean', () => {
  it.each(fixtures.map((f) => [f]))('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const r = checkInput(text, CI_CHECK);
    expect(r.failure).toBeUndefined();
    const parsed = parseScenario(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const outcome = simulate(parsed.scenario, CI_CHECK.simulate);
    // Every expectation a fixture states holds (a fixture without one only has to run or fail cleanly).
    const failed = outcome.run?.expectations.filter((e) => !e.ok) ?? [];
    expect(failed).toEqual([]);
  });
});
