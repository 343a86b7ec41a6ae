import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExpectationResult, Finding } from '../../core';
import { runUnder } from '../compare/testing';
import { groupFindings, totalEntries } from './group';

const read = (path: string) => readFileSync(path, 'utf8');

const f = (step: number, kind: Finding['kind'], extra: Partial<Finding> = {}): Finding => ({ step, kind, message: `${kind} at ${step}`, line: step, count: 1, ...extra });
const e = (line: number, ok: boolean, step: number): ExpectationResult => ({ line, text: `zero.refcount == ${line}`, ok, actual: '1', checks: 1, failures: ok ? 0 : 1, step });

describe('groupFindings', () => {
  it('groups violations, leaks, stale pins and failed expectations in that order, by step', () => {
    const groups = groupFindings(
      [f(9, 'leak', { holder: 'bio:bio#1' }), f(3, 'bad-release'), f(7, 'stale-pin'), f(2, 'refcount-wrap'), f(4, 'expect')],
      [e(5, true, 5), e(6, false, 8)],
    );
    expect(groups.map((g) => g.key)).toEqual(['violations', 'leaks', 'stale', 'expectations']);
    expect(groups[0]!.entries.map((x) => x.step)).toEqual([2, 3]);
    expect(groups[1]!.entries[0]).toMatchObject({ step: 9, holder: 'bio#1' });
    expect(groups[3]!.entries).toEqual([{ key: 'e6', step: 8, line: 6, kind: 'expect', message: 'expect zero.refcount == 6: actual 1', count: 1 }]);
    // An 'expect' finding is the failed expectation itself: not counted twice.
    expect(totalEntries(groups)).toBe(5);
  });

  it('leaves out empty groups; nothing at all for a clean run', () => {
    expect(groupFindings([], [e(1, true, 1)])).toEqual([]);
    const { run } = runUnder(read('scenarios/builtin/01-dio-write-zero-page.scn'), 'v6.4');
    expect(groupFindings(run.findings, run.expectations)).toEqual([]);
  });

  it('lists the vfio leak on v5.10 with the holder that should have released it', () => {
    const { run } = runUnder(read('scenarios/builtin/03-vfio-zero-page.scn'), 'v5.10');
    const groups = groupFindings(run.findings, run.expectations);
    const leaks = groups.find((g) => g.key === 'leaks')!;
    expect(leaks.entries.length).toBeGreaterThan(0);
    for (const x of leaks.entries) {
      expect(x.holder).toMatch(/^vfio mapping /);
      expect(x.step).toBeGreaterThan(0);
      expect(x.line).toBeGreaterThan(0);
    }
  });
});

describe('findings that summarize (issue 9)', () => {
  it('a finding met many times keeps its count and its first and last step', () => {
    const groups = groupFindings([{ step: 12, lastStep: 90_000, kind: 'gup-refused', message: 'GUP refused the zero page', line: 5, count: 428_564 }], []);
    const entry = groups.flatMap((g) => g.entries)[0]!;
    expect(entry).toMatchObject({ step: 12, lastStep: 90_000, count: 428_564 });
  });
});
