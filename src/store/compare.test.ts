import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario';
import { parseKernelSpec, simulate, type Run } from '../core';
import { divergences } from './compare';
import { alignStep, alignedStep } from './navigation';

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

  it('aligns steps by statement: the end of a statement faces the end of the same statement', () => {
    expect(alignedStep(a, 0, b)).toBe(0);
    for (let s = 1; s <= a.lastStep; s++) {
      const t = alignedStep(a, s, b);
      expect(b.events[t - 1]!.stmt).toBe(a.events[s - 1]!.stmt);
      const endOfStatementInA = (a.events[s]?.stmt ?? Infinity) > a.events[s - 1]!.stmt;
      if (!endOfStatementInA) continue;
      expect(b.events[t]?.stmt ?? Infinity).toBeGreaterThan(a.events[s - 1]!.stmt);
    }
  });

  it('inside a statement with a different number of events, steps the compare run event by event', () => {
    // The O_DIRECT write: v6.4 takes FOLL_GET references, v6.5 pins and skips the zero page: other events.
    const dioLine = text.split('\n').findIndex((l) => l.startsWith('dio write')) + 1;
    const stepsA = a.events.flatMap((e, i) => (e.line === dioLine ? [i + 1] : []));
    const stepsB = b.events.flatMap((e, i) => (e.line === dioLine ? [i + 1] : []));
    expect(stepsA.length).not.toBe(stepsB.length);
    const aligned = stepsA.map((s) => alignStep(a, s, b));
    // The first events face the first events one by one; the last faces the other's last.
    expect(aligned[0]).toEqual({ step: stepsB[0], kind: 'event', index: 1, count: stepsB.length });
    expect(aligned[1]!.step).toBe(stepsB[1]);
    expect(aligned[aligned.length - 1]).toEqual({ step: stepsB[stepsB.length - 1], kind: 'end' });
    // Never backwards, and always inside the same statement.
    for (let i = 1; i < aligned.length; i++) expect(aligned[i]!.step).toBeGreaterThanOrEqual(aligned[i - 1]!.step);
    for (const x of aligned) expect(stepsB).toContain(x.step);
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

describe('compare mode is a second explorer store', () => {
  it('runs the text under the compare kernel in its own instance, follows the main step, and clears when it ends', async () => {
    const { useCompareExplorer, useExplorer } = await import('./explorer');
    const { runsSettled } = await import('./simRuns');
    const main = useExplorer.getState();
    main.load(text, { kernel: 'v6.4' });
    await runsSettled();
    useExplorer.getState().setCompare('v6.5');
    await runsSettled();
    const c = useCompareExplorer.getState();
    expect(c.run?.kernel.label).toBe('v6.5');
    expect(c.source).toBe(text);
    expect(useExplorer.getState().compareRun).toBe(c.run);
    const runA = useExplorer.getState().run!;
    for (const step of [1, 7, Math.floor(runA.lastStep / 2), runA.lastStep, 3]) {
      useExplorer.getState().seek(step);
      const now = useCompareExplorer.getState();
      expect(now.step).toBe(alignedStep(runA, step, now.run!));
      expect(useExplorer.getState().compareSnapshot).toBe(now.snapshot);
      expect(now.snapshot?.step).toBe(now.step);
    }
    // A kernel the compare instance cannot run: an error, and no compare run shown.
    useExplorer.getState().setCompare('v99');
    await runsSettled();
    expect(useExplorer.getState().compareError).toMatch(/v99/);
    expect(useExplorer.getState().compareRun).toBeNull();
    useExplorer.getState().setCompare(null);
    expect(useCompareExplorer.getState().run).toBeNull();
    expect(useExplorer.getState().compareRun).toBeNull();
  });
});
