// Runs a parsed scenario: each statement becomes kernel-level events on the simulator.

import type { Scenario, Statement, Trivia } from './ast';
import type { ScenarioError } from './ast';
import type { Chapter, ExpectationResult, ShownViews } from './events';
import { VIEW_NAMES } from './ast';
import { resolveKernel, selectorMatches, type KernelConfig, type KernelPolicy } from './policy';
import { ScenarioRunError, Sim, type SimProgress } from './sim';
import { InvariantChecker } from './invariants';
import { evaluateExpect } from './expect';
import { runConceptStatement } from './statements';
import { currentTask } from './mm';
import { Run } from './run';
import { applyIterations, isSteady, netChanges, safeIterations } from './fastforward';

export interface SimulateOptions {
  file?: string;
  /** Overrides the scenario's `kernel` line. */
  kernel?: KernelConfig;
  /** Upper bound on recorded events (the browser's memory). */
  maxEvents?: number;
  /**
   * Upper bound on executed statements, counting every repeat iteration that does something (fast-forwarded
   * ones too; iterations that change nothing are free). A `repeat` that cannot be fast-forwarded (its body has
   * an `expect`) and would exceed it is refused before the run starts, at its line and column.
   */
  maxStatements?: number;
  /** Upper bound on work: state changes plus page accesses and statements that change nothing (default 2M, one to two seconds). */
  maxWork?: number;
  /** Upper bound on the memory the run keeps, estimated in bytes (default 512 MiB). */
  maxBytes?: number;
  /** Upper bound on wall time in milliseconds (default 5 s): a safety net behind the deterministic budgets. */
  maxMillis?: number;
  /** Called every 4096 units of work with how far the run has got (a worker passes it on as a progress bar). */
  onProgress?: (progress: SimProgress) => void;
}

export const DEFAULT_LIMITS = { maxEvents: 2_000_000, maxStatements: 50_000_000, maxWork: 2_000_000, maxBytes: 512 * 2 ** 20, maxMillis: 5_000 } as const;

export type SimulateOutcome = { ok: true; run: Run } | { ok: false; error: ScenarioError; run?: Run };

/** Statements that are the current task's own actions (system calls, memory accesses). */
const RUNS_IN_TASK: ReadonlySet<string> = new Set(['mmap', 'read', 'write', 'munmap', 'madvise', 'fork', 'pin', 'get', 'dio', 'vfio-map', 'vmsplice', 'writeback']);

const LOUD_HEAD = 2;
const LOUD_TAIL = 2;

class Interpreter {
  readonly chapters: Chapter[] = [];
  readonly shows: ShownViews[] = [];
  readonly expectations = new Map<number, ExpectationResult>();
  private checker = new InvariantChecker();
  private pendingNote: string | undefined;
  private executed = 0;
  title = '';

  constructor(
    readonly sim: Sim,
    private readonly maxEvents: number,
    private readonly maxStatements: number,
  ) {}

  runBlock(statements: readonly (Statement | Trivia)[]): void {
    for (const st of statements) {
      if (st.op === 'trivia') continue;
      this.runStatement(st);
    }
  }

  private runStatement(st: Statement): void {
    const sim = this.sim;
    sim.line = st.pos.line;
    sim.col = st.pos.col;
    sim.stmt++;
    if (++this.executed > this.maxStatements) sim.error(`the scenario runs more than ${this.maxStatements.toLocaleString('en-US')} statements; make the repeat smaller`);
    if (sim.events.length > this.maxEvents) sim.error(`the scenario records more than ${this.maxEvents.toLocaleString('en-US')} events; make it smaller`);
    sim.charge(1);
    if (RUNS_IN_TASK.has(st.op)) {
      // do_exit() does not return: an exited task runs nothing more (releasing handles, completing I/O and
      // switching tasks still work; they are not the task's own code).
      const t = currentTask(sim);
      if (!t.alive) sim.error(`task "${t.name}" has exited, so it cannot run ${st.op === 'vfio-map' ? 'vfio map' : st.op}; switch to a live task first (task NAME) or fork before the exit`);
    }
    const firstEvent = sim.events.length;
    this.execute(st);
    if (st.op !== 'note' && this.pendingNote !== undefined && sim.events.length > firstEvent) {
      sim.events[firstEvent]!.note = this.pendingNote;
      this.pendingNote = undefined;
    }
    this.checker.checkTouched(sim);
    if (st.op !== 'repeat') this.checker.checkStalePins(sim);
    sim.settleFindings();
    // Bookkeeping done after the statement's last event belongs to that event's step.
    const last = sim.events[sim.events.length - 1];
    if (!sim.muted && last && sim.events.length > firstEvent) last.patchEnd = sim.journal.length;
  }

  private execute(st: Statement): void {
    const sim: Sim = this.sim;
    switch (st.op) {
      case 'title':
        this.title = st.text;
        return;
      case 'kernel':
        return;
      case 'note':
        // Inside a muted repeat span the note is kept once, not once per iteration.
        if (sim.muted && this.pendingNote !== undefined) return;
        this.pendingNote = this.pendingNote ? `${this.pendingNote} ${st.text}` : st.text;
        return;
      case 'mark':
        if (sim.muted) return; // a chapter inside a long repeat is kept from its first iterations only
        this.chapters.push({ title: st.text, line: st.pos.line, step: sim.events.length + 1 });
        sim.emit('mark', () => ({ text: `Chapter: ${st.text}` }));
        return;
      case 'show': {
        // No event: only the choice is recorded. Choices made before the same step replace each other.
        const shown: ShownViews = { views: st.views === 'all' ? VIEW_NAMES : [...st.views], line: st.pos.line, step: sim.events.length + 1 };
        if (this.shows[this.shows.length - 1]?.step === shown.step) this.shows[this.shows.length - 1] = shown;
        else this.shows.push(shown);
        return;
      }
      case 'repeat':
        this.runRepeat(st.count, st.body, st.pos.line);
        return;
      case 'expect': {
        for (const sel of st.on ?? []) {
          const m = selectorMatches(sel.text, sim.kernel);
          if (typeof m === 'object') {
            sim.col = sel.pos.col;
            sim.error(m.error);
          }
          if (!m) return; // not checked on this kernel
        }
        const outcome = evaluateExpect(sim, st);
        const prev = this.expectations.get(st.pos.line);
        const step = Math.max(1, sim.events.length + (sim.muted ? 1 : 1));
        const entry: ExpectationResult = prev
          ? { ...prev, checks: prev.checks + 1, failures: prev.failures + (outcome.ok ? 0 : 1), ok: prev.ok && outcome.ok, actual: prev.ok && !outcome.ok ? outcome.actual : prev.ok ? outcome.actual : prev.actual }
          : { line: st.pos.line, text: st.text, ok: outcome.ok, actual: outcome.actual, checks: 1, failures: outcome.ok ? 0 : 1, step };
        this.expectations.set(st.pos.line, entry);
        sim.emit('expect', () => ({ text: `${outcome.ok ? 'As expected' : 'Expectation failed'}: ${st.text} (actual: ${outcome.actual}).`, ok: outcome.ok }));
        if (!outcome.ok) sim.find('expect', `line ${st.pos.line}: ${st.text} — actual ${outcome.actual}`);
        return;
      }
      default:
        runConceptStatement(sim, st);
        return;
    }
  }

  /**
   * Runs a repeat. The first iterations and the last ones are recorded in full; the ones between are muted into
   * one elided span, and while muted, iterations whose net effect is steady are fast-forwarded k at a time. A
   * repeat nested inside a muted span stays muted (only the outermost repeat mutes and unmutes).
   */
  private runRepeat(count: number, body: readonly (Statement | Trivia)[], line: number): void {
    const sim = this.sim;
    const fastForward = !containsExpect(body);
    const nested = sim.muted;
    const tail = nested ? 0 : LOUD_TAIL;
    let loudRun = 0;
    let spanStart = 0;
    let previous: ReturnType<typeof netChanges> | undefined;
    for (let i = 0; i < count; i++) {
      if (!sim.muted && loudRun >= LOUD_HEAD && count - i > LOUD_TAIL + 1) {
        this.checker.checkTouched(sim);
        sim.mute();
        spanStart = i;
        previous = undefined;
      }
      const unchanged = this.unchangedProbe();
      if (sim.muted && fastForward) {
        const r = this.tracedIteration(body, previous);
        previous = r.changes;
        if (r.steady && !unchanged.test()) {
          // Leave the last iterations (and anything near a boundary) to real execution.
          const k = safeIterations(r.changes, count - (i + 1) - tail - 1);
          if (k >= 2) {
            applyIterations(r.changes, k);
            sim.pageTableWrites++; // the applied changes bypass setPte: let the page-table checks look again
            this.executed += k * r.statements;
            sim.stmt += k * r.statements;
            i += k;
          }
        }
      } else this.runBlock(body);
      if (fastForward && unchanged.test()) {
        // An iteration that changed nothing leaves the state as it found it: every later one does the same.
        sim.stmt += (count - (i + 1)) * unchanged.statements();
        i = count - 1;
      }
      if (nested) continue;
      if (sim.muted) {
        if (sim.notable || count - (i + 1) <= LOUD_TAIL) {
          sim.unmute(i + 1 - spanStart, line, spanStart + 1);
          loudRun = 0;
        }
      } else loudRun++;
    }
  }

  /**
   * Watches one iteration: `test()` is true when it wrote nothing to the state, emitted no event and raised no
   * finding (an empty body, only `note`/`mark` while muted, a read of mapped memory). The state is then what it
   * was, so every later iteration would do the same nothing: they are skipped and cost no budget.
   */
  private unchangedProbe(): { test: () => boolean; statements: () => number } {
    const sim = this.sim;
    const writes = sim.journal.writes;
    const events = sim.events.length;
    const findings = sim.findingCount;
    const executed = this.executed;
    return {
      test: () => sim.journal.writes === writes && sim.events.length === events && sim.findingCount === findings,
      statements: () => this.executed - executed,
    };
  }

  /** Run one muted iteration, recording its net effect on the state. */
  private tracedIteration(body: readonly (Statement | Trivia)[], previous: ReturnType<typeof netChanges> | undefined) {
    const sim = this.sim;
    const findingsBefore = sim.findingCount;
    const executedBefore = this.executed;
    const nested = sim.journal.isTracing;
    if (!nested) sim.journal.startTrace();
    this.runBlock(body);
    if (nested) return { changes: [], steady: false, statements: this.executed - executedBefore };
    const changes = netChanges(sim.journal.takeTrace());
    const steady = sim.findingCount === findingsBefore && isSteady(previous, changes);
    return { changes, steady, statements: this.executed - executedBefore };
  }
}

/**
 * The fewest statements a block must execute: a repeat whose body has an `expect` runs every iteration for real
 * (count × its body); any other repeat may be fast-forwarded, so it counts one iteration. Returns the innermost
 * repeat whose own minimum exceeds `limit` (the one to make smaller), or the outermost one when only their
 * product does.
 */
function unforwardableRepeat(statements: readonly (Statement | Trivia)[], limit: number): { repeat: Statement; statements: number } | undefined {
  let found: { repeat: Statement; statements: number } | undefined;
  const least = (block: readonly (Statement | Trivia)[]): number => {
    let total = 0;
    for (const st of block) {
      if (st.op === 'trivia') continue;
      total += 1;
      if (st.op !== 'repeat' || st.count === 0) continue;
      const body = least(st.body);
      const own = containsExpect(st.body) ? st.count * body : body;
      if (own + 1 > limit && !found) found = { repeat: st, statements: own + 1 };
      total += own;
    }
    return total;
  };
  const total = least(statements);
  if (!found && total > limit) {
    const top = statements.find((s) => s.op === 'repeat');
    if (top) found = { repeat: top, statements: total };
  }
  return found;
}

function containsExpect(body: readonly (Statement | Trivia)[]): boolean {
  return body.some((s) => s.op === 'expect' || (s.op === 'repeat' && containsExpect(s.body)));
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulateOutcome {
  const file = options.file ?? 'scenario.scn';
  const kernelSt = scenario.statements.find((s) => s.op === 'kernel');
  const config: KernelConfig = options.kernel ?? {
    preset: kernelSt && kernelSt.op === 'kernel' ? kernelSt.preset : 'latest',
    overrides: kernelSt && kernelSt.op === 'kernel' ? (Object.fromEntries(kernelSt.toggles.map((t) => [t.name, t.value])) as Partial<KernelPolicy>) : {},
  };
  const resolved = resolveKernel(config);
  if (!resolved.ok) {
    let line = 1;
    let col = 1;
    if (!options.kernel && kernelSt && kernelSt.op === 'kernel') {
      const t = kernelSt.toggles.find((x) => x.name === resolved.at);
      line = t?.pos.line ?? kernelSt.pos.line;
      col = t?.pos.col ?? kernelSt.pos.col + 7;
    }
    return { ok: false, error: { file: options.kernel ? '--kernel' : file, line, col, message: resolved.message } };
  }
  const maxStatements = options.maxStatements ?? DEFAULT_LIMITS.maxStatements;
  const tooLong = unforwardableRepeat(scenario.statements, maxStatements);
  if (tooLong) {
    return {
      ok: false,
      error: {
        file,
        line: tooLong.repeat.pos.line,
        col: tooLong.repeat.pos.col,
        message: `this repeat runs at least ${tooLong.statements.toLocaleString('en-US')} statements, more than the limit of ${maxStatements.toLocaleString('en-US')}; its body has an expect, so its iterations cannot be fast-forwarded: make the repeat smaller`,
      },
    };
  }
  const sim = new Sim(resolved.kernel);
  sim.setLimits({ maxWork: options.maxWork ?? DEFAULT_LIMITS.maxWork, maxEvents: options.maxEvents ?? DEFAULT_LIMITS.maxEvents, maxBytes: options.maxBytes ?? DEFAULT_LIMITS.maxBytes, maxMillis: options.maxMillis ?? DEFAULT_LIMITS.maxMillis });
  sim.onProgress = options.onProgress;
  const interp = new Interpreter(sim, options.maxEvents ?? DEFAULT_LIMITS.maxEvents, maxStatements);
  const build = () => new Run(sim, interp.title, interp.chapters, [...interp.expectations.values()].sort((a, b) => a.line - b.line), interp.shows);
  try {
    interp.runBlock(scenario.statements);
  } catch (e) {
    if (e instanceof ScenarioRunError) {
      if (sim.muted) sim.unmute(1, e.line, 1);
      return { ok: false, error: { file, line: e.line, col: e.col, message: e.message }, run: build() };
    }
    throw e;
  }
  return { ok: true, run: build() };
}
