import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario';
import { parseKernelSpec, simulate, type Run } from '../core';
import { divergences } from './compare';
import { alignedStep } from './navigation';

function runOf(text: string, kernel: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error('parse');
  const r = simulate(parsed.scenario, { kernel: parseKernelSpec(kernel) });
  if (!r.ok) throw new Error(r.error.message);
  return r.run;
}

const text = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

describe('compare two kernels', () => {
  const a = runOf(text, 'v6.4');
  const b = runOf(text, 'v6.5');

  it('aligns steps by statement', () => {
    expect(alignedStep(a, 0, b)).toBe(0);
    for (let s = 1; s <= a.lastStep; s++) {
      const t = alignedStep(a, s, b);
      expect(b.events[t - 1]!.stmt).toBe(a.events[s - 1]!.stmt);
      expect(b.events[t]?.stmt ?? Infinity).toBeGreaterThan(a.events[s - 1]!.stmt);
    }
  });

  it('finds where the zero page differs: in flight only, 5 on v6.4 against 1 on v6.5', () => {
    const d = divergences(a, b);
    const lines = text.split('\n');
    const dioLine = lines.findIndex((l) => l.startsWith('dio write')) + 1;
    const completeLine = lines.findIndex((l) => l.startsWith('complete all')) + 1;
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.line).toBe(dioLine);
    expect(d[0]!.folios).toEqual([{ id: 1, kind: 'zero', a: { refcount: 5, mapcount: 0, pincount: 0 }, b: { refcount: 1, mapcount: 0, pincount: 0 } }]);
    expect(d.every((x) => x.line < completeLine)).toBe(true);
  });
});
