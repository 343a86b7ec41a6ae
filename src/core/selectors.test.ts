import { describe, expect, it } from 'vitest';
import { parseScenario, printScenario } from '../scenario';
import { resolveKernel, selectorMatches, type ResolvedKernel } from './policy';
import { parseKernelSpec } from './kernelspec';
import { simulate } from './index';

function kernel(spec: string): ResolvedKernel {
  const r = resolveKernel(parseKernelSpec(spec));
  if (!r.ok) throw new Error(r.message);
  return r.kernel;
}

describe('expect … on SELECTOR', () => {
  it('matches presets, release-order comparisons, toggles and alternatives', () => {
    const k64 = kernel('v6.4');
    expect(selectorMatches('v6.4', k64)).toBe(true);
    expect(selectorMatches('v6.5', k64)).toBe(false);
    expect(selectorMatches('<v6.5', k64)).toBe(true);
    expect(selectorMatches('<=v6.4', k64)).toBe(true);
    expect(selectorMatches('>v6.4', k64)).toBe(false);
    expect(selectorMatches('>=v6.2', k64)).toBe(true);
    expect(selectorMatches('v5.10,v6.4', k64)).toBe(true);
    expect(selectorMatches('dio=get', k64)).toBe(true);
    expect(selectorMatches('dio=pin', kernel('v6.4 dio=pin'))).toBe(true);
    expect(selectorMatches('>=v6.5', kernel('latest'))).toBe(true);
    expect(selectorMatches('v6.44', k64)).toEqual({ error: 'unknown kernel "v6.44" (did you mean "v6.4"?)' });
    expect(selectorMatches('zero-pin=maybe', k64)).toEqual({ error: 'toggle zero-pin takes count | skip | fail, not "maybe"' });
  });

  it('checks an expectation only on matching kernels, and round-trips through the printer', () => {
    const text = [
      'file out 64K fs=blockdev',
      'mmap buf 16K',
      'read buf',
      'dio write out 0 16K buf',
      'expect zero.refcount == 5 on <v6.5',
      'expect zero.refcount == 1 on >=v6.5',
      'complete all',
      '',
    ].join('\n');
    const parsed = parseScenario(text);
    if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
    expect(printScenario(parsed.scenario)).toContain('expect zero.refcount == 5 on <v6.5');
    for (const [preset, checkedLine] of [['v5.10', 5], ['v6.4', 5], ['v6.5', 6], ['latest', 6]] as const) {
      const r = simulate(parsed.scenario, { kernel: parseKernelSpec(preset) });
      if (!r.ok) throw new Error(r.error.message);
      expect({ preset, checked: r.run.expectations.map((e) => [e.line, e.ok]) }).toEqual({ preset, checked: [[checkedLine, true]] });
    }
  });

  it('reports a bad selector at its column', () => {
    const bad = parseScenario('expect zero.refcount == 1 on !v6.4\n');
    expect(bad.ok ? null : bad.errors[0]).toMatchObject({ line: 1, col: 30 });
    const parsed = parseScenario('expect zero.refcount == 1 on v6.44\n');
    if (!parsed.ok) throw new Error('parse');
    const r = simulate(parsed.scenario);
    expect(r.ok ? null : [r.error.line, r.error.col, r.error.message]).toEqual([1, 30, 'unknown kernel "v6.44" (did you mean "v6.4"?)']);
  });
});
