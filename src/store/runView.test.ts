import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { busyScenario } from '../../bench/scenarios';
import { runSource } from './runSource';
import { snapshotCacheSize, viewOfRun } from './runView';
import { runViewOf } from './runViewOf';

const text = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

describe('RunView', () => {
  it('answers what the run answers, as frozen values', () => {
    const reference = runSource(text, null).run!;
    const view = runViewOf(text, null).view!;
    expect(Object.isFrozen(view)).toBe(true);
    expect(view.lastStep).toBe(reference.lastStep);
    expect(view.catalog).toEqual(reference.catalog);
    expect(Object.isFrozen(view.catalog)).toBe(true);
    for (const step of [0, 3, view.lastStep, Math.floor(view.lastStep / 2)]) {
      const snap = view.snapshotAt(step);
      expect(Object.isFrozen(snap)).toBe(true);
      expect(snap).toEqual(reference.snapshot(step));
    }
    const zero = view.catalog.folios.find((f) => f.kind === 'zero')!.id;
    expect(view.refcountSeries(zero, 20)).toEqual(reference.refcountSeries(zero, 20));
    expect(view.lastChangeStep(zero, view.lastStep)).toBe(reference.lastChangeStep(zero, reference.lastStep));
  });

  it('a query in between never changes another answer (no cursor shows through)', () => {
    const view = viewOfRun(runSource(text, null).run!);
    const zero = view.catalog.folios.find((f) => f.kind === 'zero')!.id;
    const early = view.snapshotAt(2);
    view.refcountSeries(zero);
    view.folioCounters(view.lastStep);
    view.lastChangeStep(zero, view.lastStep);
    // The cached picture is the same object, and a fresh one of the same step is equal to it.
    expect(view.snapshotAt(2)).toBe(early);
    const other = viewOfRun(runSource(text, null).run!);
    expect(other.snapshotAt(2)).toEqual(early);
  });

  it('keeps a bounded number of snapshots, most recently used last', () => {
    const view = viewOfRun(runSource(busyScenario(30), null).run!);
    const size = snapshotCacheSize(view.catalog.folios.length);
    expect(view.lastStep).toBeGreaterThan(size + 10);
    const kept = view.snapshotAt(0);
    const dropped = view.snapshotAt(1);
    for (let s = 2; s <= size + 5; s++) {
      view.snapshotAt(s);
      view.snapshotAt(0); // used on every round: never the oldest
    }
    expect(view.snapshotAt(0)).toBe(kept);
    // Step 1 was pushed out by the later steps and is built again: a new object, equal to the first.
    const again = view.snapshotAt(1);
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
    expect(snapshotCacheSize(262_144)).toBeLessThan(snapshotCacheSize(10));
  });
});
