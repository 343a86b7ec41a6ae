// Runs a parsed scenario: each statement becomes kernel-level events on the simulator.

import type { Expect, Scenario, Statement, Trivia } from './ast';
import type { ScenarioError } from './ast';
import type { Chapter, ExpectationResult, Finding, ShownViews } from './events';
import { VIEW_NAMES } from './ast';
import { resolveKernel, selectorMatches, type KernelConfig, type KernelPolicy } from './policy';
import { ScenarioRunError, Sim, type SimProgress } from './sim';
import { InvariantChecker } from './invariants';
import { evaluateExpect, type ExpectActual } from './expect';
import { CostProjection, expectsIn, jumpKeepingExpects } from './repeat';
import { runConceptStatement } from './statements';
import { currentTask } from './mm';
import { Run } from './run';
import { isSteady, netChanges, safeIterations } from './fastforward';

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
  /**
   * Fast-forward steady repeat iterations (default true). Off, every iteration runs for real: the tests compare
   * the two to show that fast-forwarding changes nothing but the time taken.
   */
  fastForward?: boolean;
  /**
   * Summarise long runs of alike pages inside one statement (default true): past 1,024 pages, all but the first
   * and last 32 record no event each and become one `elided` step. Off, every page's events are recorded.
   */
  pageRuns?: boolean;
  /** Called every 4096 units of work with how far the run has got (a worker passes it on as a progress bar). */
  onProgress?: (progress: SimProgress) => void;
}

export const DEFAULT_LIMITS = { maxEvents: 2_000_000, maxStatements: 50_000_000, maxWork: 4_000_000, maxBytes: 512 * 2 ** 20, maxMillis: 5_000 } as const;

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
  /** What each expect's subject was when it last ran (for fast-forwarding a repeat with expects in its body). */
  private lastValues = new Map<Expect, ExpectActual>();
  title = '';

  constructor(
    readonly sim: Sim,
    private readonly maxEvents: number,
    private readonly maxStatements: number,
    private readonly fastForward: boolean,
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
        this.runRepeat(st.count, st.body, st.pos);
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
        this.lastValues.set(st, outcome.value);
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
  private runRepeat(count: number, body: readonly (Statement | Trivia)[], pos: { line: number; col: number }): void {
    const sim = this.sim;
    const line = pos.line;
    const expects = expectsIn(body);
    const nested = sim.muted;
    const projection = new CostProjection(sim, count, pos, () => this.executed, this.maxStatements);
    const tail = nested ? 0 : LOUD_TAIL;
    let loudRun = 0;
    let spanStart = 0;
    let previous: TracedIteration | undefined;
    for (let i = 0; i < count; i++) {
      // Without fast-forward an empty body would loop uncharged (billions of times): each iteration costs a unit.
      if (!this.fastForward) sim.charge(1);
      if (!sim.muted && loudRun >= LOUD_HEAD && count - i > LOUD_TAIL + 1) {
        this.checker.checkTouched(sim);
        sim.mute();
        spanStart = i;
        previous = undefined;
      }
      const unchanged = this.unchangedProbe();
      let traced: TracedIteration | undefined;
      if (sim.muted) {
        const r = this.tracedIteration(body, previous, expects);
        previous = traced = r;
        projection.iteration(i, r.steady);
        if (r.steady && this.fastForward && !unchanged.test()) {
          // Leave the last iterations (and anything near a boundary) to real execution.
          const k = jumpKeepingExpects(sim, r.changes, safeIterations(r.changes, count - (i + 1) - tail - 1), expects, this.lastValues);
          if (k >= 2) {
            this.applyRepeats(r, k);
            sim.pageTableWrites++; // the applied changes bypass setPte: let the page-table checks look again
            this.executed += k * r.statements;
            sim.stmt += k * r.statements;
            i += k;
          }
        }
      } else this.runBlock(body);
      if (this.fastForward && unchanged.test()) {
        // An iteration that changed nothing leaves the state as it found it: every later one does the same
        // (its expects, too, would answer the same: they are counted as checked).
        // The last iterations still run, shown in full, as they would have been.
        const skipped = Math.max(0, count - (i + 1) - tail);
        sim.stmt += skipped * unchanged.statements();
        if (traced) this.applyRepeats(traced, skipped);
        i += skipped;
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

  /**
   * Run one muted iteration, recording its net effect on the state, the findings it met again (a failing
   * expect, a refused pin: the same finding as before, one more time) and the expect checks it made. It is
   * steady when it changed the state exactly as the previous one did, raised no new finding and met the same
   * findings and checks again: then later iterations can be applied k at a time (see `applyRepeats`).
   */
  private tracedIteration(body: readonly (Statement | Trivia)[], previous: TracedIteration | undefined, expects: readonly Expect[]): TracedIteration {
    const sim = this.sim;
    const newBefore = sim.newFindingCount;
    const executedBefore = this.executed;
    const nested = sim.journal.isTracing;
    if (nested) {
      this.runBlock(body);
      return { changes: [], steady: false, statements: this.executed - executedBefore, repeated: [], checks: [] };
    }
    const checksBefore = expects.map((st) => this.expectations.get(st.pos.line));
    sim.journal.startTrace();
    sim.repeatedFindings = [];
    let repeated: Finding[] = [];
    try {
      this.runBlock(body);
    } finally {
      repeated = sim.repeatedFindings ?? [];
      sim.repeatedFindings = undefined;
    }
    const changes = netChanges(sim.journal.takeTrace());
    const checks = expects.map((st, n) => {
      const now = this.expectations.get(st.pos.line);
      const was = checksBefore[n];
      return { line: st.pos.line, checks: (now?.checks ?? 0) - (was?.checks ?? 0), failures: (now?.failures ?? 0) - (was?.failures ?? 0) };
    });
    const steady =
      sim.newFindingCount === newBefore &&
      isSteady(previous?.changes, changes) &&
      previous !== undefined &&
      previous.repeated.length === repeated.length &&
      previous.repeated.every((f, n) => f === repeated[n]) &&
      previous.checks.every((c, n) => c.checks === checks[n]!.checks && c.failures === checks[n]!.failures);
    return { changes, steady, statements: this.executed - executedBefore, repeated, checks };
  }

  /** `k` more iterations like `r`: its repeated findings and its expect checks counted k more times. */
  private applyRepeats(r: TracedIteration, k: number): void {
    for (const f of r.repeated) f.count += k;
    for (const c of r.checks) {
      const entry = this.expectations.get(c.line);
      if (entry && (c.checks !== 0 || c.failures !== 0)) this.expectations.set(c.line, { ...entry, checks: entry.checks + k * c.checks, failures: entry.failures + k * c.failures });
    }
  }
}

interface TracedIteration {
  changes: ReturnType<typeof netChanges>;
  steady: boolean;
  statements: number;
  repeated: Finding[];
  checks: { line: number; checks: number; failures: number }[];
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
  const sim = new Sim(resolved.kernel);
  sim.setLimits({ maxWork: options.maxWork ?? DEFAULT_LIMITS.maxWork, maxEvents: options.maxEvents ?? DEFAULT_LIMITS.maxEvents, maxBytes: options.maxBytes ?? DEFAULT_LIMITS.maxBytes, maxMillis: options.maxMillis ?? DEFAULT_LIMITS.maxMillis });
  sim.onProgress = options.onProgress;
  sim.pageRunsOff = options.pageRuns === false;
  const interp = new Interpreter(sim, options.maxEvents ?? DEFAULT_LIMITS.maxEvents, maxStatements, options.fastForward ?? true);
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
