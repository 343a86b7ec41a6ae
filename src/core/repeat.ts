// What makes a long repeat cheap and safe, apart from the interpreter that runs it: fast-forward jumps that
// never step over an iteration where an `expect` of the body would answer differently, and the early refusal of
// a repeat that is bound to run out of a budget.

import type { Expect, Statement, Trivia } from './ast';
import { expectActual, expectHolds, type ExpectActual } from './expect';
import { applyIterations } from './fastforward';
import type { Sim } from './sim';

/** Every `expect` in a repeat body, nested repeats included. */
export function expectsIn(body: readonly (Statement | Trivia)[]): Expect[] {
  return body.flatMap((s) => (s.op === 'expect' ? [s] : s.op === 'repeat' ? expectsIn(s.body) : []));
}

/** An expect's subject now, or undefined when it cannot be resolved in this state. */
function valueNow(sim: Sim, st: Expect): ExpectActual | undefined {
  try {
    return expectActual(sim, st);
  } catch {
    return undefined;
  }
}

/**
 * The first of the iterations 1..k after the last real one at which the expect would answer differently,
 * given that its subject was `last` there and moves by `delta` per iteration (k + 1 if none does).
 */
function firstFlip(st: Expect, last: number, delta: number, k: number): number {
  const was = expectHolds(last, st);
  const at = (j: number) => expectHolds(last + j * delta, st) !== was;
  if (st.cmp === '==' || st.cmp === '!=') {
    if (was === (st.cmp === '==')) return 1; // it held at one value only (or failed at one), and the value moves
    const target = st.value.type === 'number' ? st.value.value : NaN;
    const j = (target - last) / delta;
    return Number.isInteger(j) && j >= 1 && j <= k ? j : k + 1;
  }
  // An ordering flips at most once along an arithmetic sequence: find where by bisection.
  if (!at(k)) return k + 1;
  let lo = 1;
  let hi = k;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Apply up to `k` steady iterations at once, but never across an iteration where an `expect` of the body would
 * answer differently: that iteration runs for real, so the expect is checked where its answer changes. The
 * changes are affine, so a subject's move per iteration is read off a trial jump (which is undone, applying
 * the changes −k times, when it went too far). Returns how many iterations were applied (0 if fewer than 2).
 */
export function jumpKeepingExpects(sim: Sim, changes: Parameters<typeof applyIterations>[0], k: number, expects: readonly Expect[], lastValues: ReadonlyMap<Expect, ExpectActual>): number {
  if (k < 2) return 0;
  if (expects.length === 0) {
    applyIterations(changes, k);
    return k;
  }
  const before = expects.map((st) => valueNow(sim, st));
  applyIterations(changes, k);
  let allowed = k;
  expects.forEach((st, n) => {
    const after = valueNow(sim, st);
    const last = lastValues.get(st);
    if (typeof before[n] === 'number' && typeof after === 'number' && typeof last === 'number') {
      const delta = (after - before[n]) / k;
      if (delta !== 0) allowed = Math.min(allowed, firstFlip(st, last, delta, k) - 1);
    } else if (!Object.is(before[n], after) || last === undefined) {
      allowed = 0; // not a number that moves evenly, or never evaluated: run the iterations for real
    }
  });
  if (allowed === k) return k;
  applyIterations(changes, -k);
  if (allowed < 2) return 0;
  applyIterations(changes, allowed);
  return allowed;
}

/**
 * Refuses a long repeat early, at its line and column, when it is bound to run out of a budget: once 32
 * muted iterations in a row (or 3 costing 1% of the work budget) could not be fast-forwarded, each later one is assumed to cost at least the
 * least any of those cost. Otherwise a repeat over budget would run for seconds before being stopped.
 */
export class CostProjection {
  private alike = 0;
  private spentAlike = 0;
  private leastWork = Infinity;
  private leastStatements = Infinity;
  private lastWork: number;
  private lastStatements: number;

  constructor(
    private readonly sim: Sim,
    private readonly count: number,
    private readonly pos: { line: number; col: number },
    private readonly executed: () => number,
    private readonly maxStatements: number,
  ) {
    this.lastWork = sim.workDone;
    this.lastStatements = executed();
  }

  /** Iteration `i` has just run (muted); `steady` if it can be fast-forwarded. */
  iteration(i: number, steady: boolean): void {
    const work = this.sim.workDone;
    const statements = this.executed();
    const spent = { work: work - this.lastWork, statements: statements - this.lastStatements };
    this.lastWork = work;
    this.lastStatements = statements;
    if (steady) {
      this.alike = 0;
      this.spentAlike = 0;
      this.leastWork = this.leastStatements = Infinity;
      return;
    }
    this.leastWork = Math.min(this.leastWork, spent.work);
    this.leastStatements = Math.min(this.leastStatements, spent.statements);
    this.spentAlike += spent.work;
    // 32 iterations in a row, or 3 when they are costly (a body with a long inner loop): 1% of the budget.
    if (++this.alike < 32 && !(this.alike >= 3 && this.spentAlike * 100 >= this.sim.limits.maxWork)) return;
    const remaining = this.count - (i + 1);
    const maxWork = this.sim.limits.maxWork;
    const say = (n: number) => n.toLocaleString('en-US');
    let message: string | undefined;
    if (work + remaining * this.leastWork > maxWork) {
      message = `this repeat would do more than ${say(maxWork)} units of work (state changes and page accesses): its iterations cannot be fast-forwarded, each does at least ${say(this.leastWork)}, and ${say(remaining)} of its ${say(this.count)} remain; make it smaller`;
    } else if (statements + remaining * this.leastStatements > this.maxStatements) {
      message = `this repeat would run more than ${say(this.maxStatements)} statements: its iterations cannot be fast-forwarded and ${say(remaining)} of its ${say(this.count)} remain; make it smaller`;
    }
    if (message === undefined) return;
    this.sim.line = this.pos.line;
    this.sim.col = this.pos.col;
    this.sim.stopForBudget(message);
  }
}
