import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FolioView } from '../../core';
import { divergences } from '../../store/compare';
import { alignedStep } from '../../store/navigation';
import { describeDifference, diffBadge, divergenceHeadline, folioDiffs, statementText } from './diff';
import { DIO_WRITE, runUnder } from './testing';

const read = (path: string) => readFileSync(path, 'utf8');

function folio(id: number, refcount: number, mapcount = 0, pincount = 0, kind: FolioView['kind'] = 'anon'): FolioView {
  return { id, kind, order: 0, pfn: 100 + id, refcount, mapcount, pincount, pinned: false, exclusive: false, dirty: false, reserved: false, holders: [], held: refcount };
}

describe('folioDiffs', () => {
  it('finds the counters that differ, per folio, and nothing for equal folios', () => {
    const d = folioDiffs([folio(0, 5, 0, 0, 'zero'), folio(1, 2, 1), folio(2, 3, 1, 1)], [folio(0, 1, 0, 0, 'zero'), folio(1, 2, 1), folio(2, 3, 2, 0)]);
    expect([...d.keys()]).toEqual([0, 2]);
    expect(d.get(0)).toMatchObject({ kind: 'zero', fields: ['refcount'], a: { refcount: 5 }, b: { refcount: 1 } });
    expect(d.get(2)!.fields).toEqual(['mapcount', 'pincount']);
  });

  it('marks a folio alive on one side only', () => {
    const d = folioDiffs([folio(1, 1)], [folio(2, 1)]);
    expect(d.get(1)).toMatchObject({ fields: [], a: { refcount: 1 } });
    expect(d.get(1)!.b).toBeUndefined();
    expect(d.get(2)!.a).toBeUndefined();
    expect(diffBadge(d.get(1)!, 'a', 'v6.5').text).toBe('≠ only here');
    expect(diffBadge(d.get(1)!, 'b', 'v6.4').text).toBe('≠ gone');
  });

  it('badges show the other side’s value of the first differing counter', () => {
    const d = folioDiffs([folio(0, 5, 0, 0, 'zero'), folio(3, 2, 1)], [folio(0, 1, 0, 0, 'zero'), folio(3, 2, 2)]);
    expect(diffBadge(d.get(0)!, 'a', 'v6.5')).toMatchObject({ text: '≠ 1', field: 'refcount', other: '1' });
    expect(diffBadge(d.get(0)!, 'b', 'v6.4')).toMatchObject({ text: '≠ 5', other: '5' });
    expect(diffBadge(d.get(3)!, 'a', 'v6.5').text).toBe('≠ map 2');
    expect(diffBadge(d.get(0)!, 'a', 'v6.5').title).toBe('v6.5: refcount 1 (here refcount 5)');
  });

  it('on the DIO write scenario, the zero page differs in flight (5 under v6.4, 1 under v6.5) and nowhere else', () => {
    const a = runUnder(read(DIO_WRITE), 'v6.4').run;
    const b = runUnder(read(DIO_WRITE), 'v6.5').run;
    const inFlight = a.chapters[2]!.step - 1;
    const d = folioDiffs(a.snapshotAt(inFlight).folios, b.snapshotAt(alignedStep(a, inFlight, b)).folios);
    const zero = a.snapshotAt(inFlight).folios.find((f) => f.kind === 'zero')!;
    expect([...d.keys()]).toEqual([zero.id]);
    expect(d.get(zero.id)).toMatchObject({ fields: ['refcount'], a: { refcount: 5 }, b: { refcount: 1 } });
    expect(folioDiffs(a.snapshotAt(a.lastStep).folios, b.snapshotAt(b.lastStep).folios).size).toBe(0);
  });
});

describe('the divergence words', () => {
  const { run: a, text } = runUnder(read(DIO_WRITE), 'v6.4');
  const b = runUnder(read(DIO_WRITE), 'v6.5').run;
  const divs = divergences(a, b);

  it('names the first diverging statement, its text and the counters on both kernels', () => {
    expect(divs[0]!.line).toBe(19);
    expect(statementText(text, 19)).toBe('dio write out 0 16K buf');
    expect(divergenceHeadline(divs, text, 'v6.4', 'v6.5')).toBe('Runs diverge first at line 19 (`dio write out 0 16K buf`): zero page refcount 5 (v6.4) vs 1 (v6.5)');
    expect(describeDifference(divs[0]!, 'v6.4', 'v6.5')).toBe('zero page refcount 5 (v6.4) vs 1 (v6.5)');
  });

  it('says so when the runs never diverge', () => {
    expect(divergenceHeadline([], text, 'v6.5', 'v6.6')).toMatch(/^The runs never diverge/);
    expect(divergences(b, runUnder(read(DIO_WRITE), 'v6.5').run)).toEqual([]);
  });

  it('caps a long list of differences', () => {
    const many = { line: 1, stmt: 1, stepA: 1, stepB: 1, folios: [1, 2, 3, 4].map((id) => ({ id, kind: 'anon', a: { refcount: 1, mapcount: 0, pincount: 0 }, b: { refcount: 2, mapcount: 0, pincount: 0 } })) };
    expect(describeDifference(many, 'x', 'y', 2)).toBe('F1 refcount 1 (x) vs 2 (y); F2 refcount 1 (x) vs 2 (y); and 2 more');
  });
});
