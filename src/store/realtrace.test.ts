import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agreementSummary, alignTrace, checksForFolio, disagreementSteps, looksLikeTrace, pickKernel, readTrace, upstreamVersion, type RealTrace } from './realtrace';
import { runSource } from './runSource';
import { viewOfRun } from './runView';

const dir = join(__dirname, '..', '..', 'e2e', 'fixtures', 'traces');
const fixture = (k: string) => readFileSync(join(dir, `01-blockdev-dio-write-zero-page.${k}.trace.json`), 'utf8');
const read = (text: string): RealTrace => {
  const r = readTrace(text);
  if (!r.ok) throw new Error(r.reason);
  return r.trace;
};

describe('readTrace', () => {
  it('reads the recorded fixtures', () => {
    for (const k of ['5.10', '6.1', '6.12']) {
      const t = read(fixture(k));
      expect(t.kernel.release.startsWith(k)).toBe(true);
      expect(t.scenario.text).toContain('dio write out 0 16K buf');
      expect(t.pages.find((p) => p.id === 'zero')?.pfn).toBe('zero page');
      expect(looksLikeTrace(fixture(k))).toBe(true);
    }
  });
  it('refuses what is not a trace, saying why', () => {
    expect(readTrace('mmap buf 4K')).toMatchObject({ ok: false });
    expect(readTrace('{"format": "other"}')).toEqual({ ok: false, reason: 'it has no "format": "pinscope-trace/1" field' });
    expect(readTrace('{"format": "pinscope-trace/9"}')).toMatchObject({ ok: false, reason: expect.stringContaining('pinscope-trace/9') });
    expect(readTrace('{"format": "pinscope-trace/1", "kernel": {"release": "6.1"}, "scenario": {"text": ""}}')).toEqual({ ok: false, reason: 'it has no measurements list' });
    expect(looksLikeTrace('title a scenario\nmmap buf 4K')).toBe(false);
  });
});

describe('pickKernel', () => {
  it('reads the upstream version from a Debian uname -v, else from uname -r', () => {
    expect(upstreamVersion('6.1.0-56-cloud-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)')).toEqual([6, 1, 192]);
    expect(upstreamVersion('6.9.7-arch1-1', '#1 SMP PREEMPT_DYNAMIC')).toEqual([6, 9, 7]);
    expect(upstreamVersion('weird', '')).toBeUndefined();
  });
  it('picks the newest preset not newer than the kernel, with the backports it carries', () => {
    expect(pickKernel('5.10.0-32-cloud-amd64', '#1 SMP Debian 5.10.223-1 (2024-08-10)').spec).toBe('v5.10 fork-pinned-file=share');
    expect(pickKernel('5.10.100', '').spec).toBe('v5.10');
    expect(pickKernel('6.1.0-56-cloud-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2').spec).toBe('v6.1 zero-pin=skip');
    expect(pickKernel('6.1.132', '').spec).toBe('v6.1 zero-pin=fail');
    expect(pickKernel('6.1.20', '').spec).toBe('v6.1');
    expect(pickKernel('6.12.117+deb12-cloud-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1').spec).toBe('v6.12');
    expect(pickKernel('6.3.1', '').spec).toBe('v6.2');
    expect(pickKernel('6.15.2', '').spec).toBe('v6.12');
    expect(pickKernel('4.19.0', '').spec).toBe('v5.10');
    expect(pickKernel('6.3.1', '').reason).toContain('the newest preset not newer than it');
    expect(pickKernel('6.1.0-56-cloud-amd64', 'Debian 6.1.192-2').reason).toContain('6.1.192');
  });
});

describe('alignTrace', () => {
  for (const k of ['5.10', '6.1', '6.12']) {
    it(`the O_DIRECT write from zero-page memory agrees on ${k}`, () => {
      const t = read(fixture(k));
      const pick = pickKernel(t.kernel.release, t.kernel.version);
      const { run } = runSource(t.scenario.text, pick.spec);
      const a = alignTrace(t, viewOfRun(run!));
      // line 12 applies to dio=get kernels (5.10, Debian 6.1), line 13 to dio=pin (6.12): 7 checks either way
      expect(a.checks.map((c) => c.line)).toEqual(k === '6.12' ? [8, 9, 10, 13, 14, 16, 17] : [8, 9, 10, 12, 14, 16, 17]);
      expect(a.checks.filter((c) => !c.agree)).toEqual([]);
      expect(agreementSummary(a)).toBe('agrees on 7 of 7 checks');
      const inflight = a.checks.find((c) => c.line === (k === '6.12' ? 13 : 12))!;
      expect(inflight).toMatchObject({ role: 'zero', real: k === '6.12' ? '1' : '5', simulated: k === '6.12' ? '1' : '5' });
      expect(inflight.folio).toBe(run!.snapshot(inflight.step).zeroFolio);
      expect(checksForFolio(a, run!, inflight.folio!, inflight.step).map((c) => c.line)).toContain(inflight.line);
      expect(disagreementSteps(a)).toEqual([]);
    });
  }
  it('a changed real value is a disagreement at the step of its expectation', () => {
    const t = read(fixture('5.10'));
    const altered: RealTrace = { ...t, measurements: t.measurements.map((m) => (m.line === 12 ? { ...m, value: '6' } : m)) };
    const { run } = runSource(t.scenario.text, 'v5.10');
    const a = alignTrace(altered, viewOfRun(run!));
    expect(agreementSummary(a)).toBe('agrees on 6 of 7 checks');
    const bad = a.checks.find((c) => !c.agree)!;
    expect(bad).toMatchObject({ line: 12, real: '6', simulated: '5' });
    expect(disagreementSteps(a)).toEqual([{ step: bad.step, lines: [12] }]);
  });
  it('under the wrong preset the real counts disagree', () => {
    const t = read(fixture('5.10'));
    const { run } = runSource(t.scenario.text, 'v6.12');
    const a = alignTrace(t, viewOfRun(run!));
    expect(a.checks.find((c) => c.line === 13)).toMatchObject({ real: '5', simulated: '1', agree: false });
  });
  it('keeps the traced count changes with the function that made them and the folio of the same role', () => {
    const t = read(fixture('5.10'));
    const { run } = runSource(t.scenario.text, 'v5.10');
    const a = alignTrace(t, viewOfRun(run!));
    expect(a.changes.map((c) => [c.line, c.page, c.from, c.to, c.func])).toEqual([
      [11, 'zero', 1, 5, 'get_user_pages_fast'],
      [11, 'zero', 5, 1, 'bio_release_pages'],
    ]);
    expect(a.changes[0]!.folio).toBe(run!.snapshot(0).zeroFolio);
  });
  it('lists expectations the trace does not have', () => {
    const t = read(fixture('6.12'));
    const { run } = runSource(t.scenario.text, 'v6.12');
    const a = alignTrace({ ...t, measurements: t.measurements.filter((m) => m.line !== 17) }, viewOfRun(run!));
    expect(a.missing.map((m) => m.line)).toEqual([17]);
    expect(a.checks).toHaveLength(6);
  });
});
