// Where two runs of the same scenario under two kernels diverge: at the end of each statement, which folios'
// counters differ. Pure functions over two runs; the compare view reads them.

import type { RunView } from './runView';

/** What the comparison reads of a run. */
type CountersSource = Pick<RunView, 'events' | 'folioCounters'>;

export interface CounterPair {
  id: number;
  kind: string;
  a?: { refcount: number; mapcount: number; pincount: number };
  b?: { refcount: number; mapcount: number; pincount: number };
}

export interface Divergence {
  /** Source line of the statement, its execution number, and the steps at its end in each run. */
  line: number;
  stmt: number;
  stepA: number;
  stepB: number;
  folios: CounterPair[];
}

function statementEnds(run: Pick<RunView, 'events'>): { stmt: number; line: number; step: number }[] {
  const ends: { stmt: number; line: number; step: number }[] = [];
  run.events.forEach((e, i) => {
    const next = run.events[i + 1];
    if (!next || next.stmt !== e.stmt) ends.push({ stmt: e.stmt, line: e.line, step: i + 1 });
  });
  return ends;
}

/** Counters that differ between `a` and `b` at each statement end (up to `limit` statements). */
export function divergences(a: CountersSource, b: CountersSource, limit = 2000): Divergence[] {
  const endsB = new Map(statementEnds(b).map((e) => [e.stmt, e.step]));
  const out: Divergence[] = [];
  for (const end of statementEnds(a).slice(0, limit)) {
    const stepB = endsB.get(end.stmt);
    if (stepB === undefined) continue;
    const ca = a.folioCounters(end.step);
    const cb = b.folioCounters(stepB);
    const folios: CounterPair[] = [];
    for (const id of new Set([...ca.keys(), ...cb.keys()])) {
      const x = ca.get(id);
      const y = cb.get(id);
      const same = x && y && x.refcount === y.refcount && x.mapcount === y.mapcount && x.pincount === y.pincount && x.kind === y.kind;
      if (same) continue;
      folios.push({ id, kind: (x ?? y)!.kind, ...(x ? { a: { refcount: x.refcount, mapcount: x.mapcount, pincount: x.pincount } } : {}), ...(y ? { b: { refcount: y.refcount, mapcount: y.mapcount, pincount: y.pincount } } : {}) });
    }
    if (folios.length) out.push({ line: end.line, stmt: end.stmt, stepA: end.step, stepB, folios: folios.sort((p, q) => p.id - q.id) });
  }
  return out;
}
