// The simulation context: live state, journal, policy, the kernel call stack and the event/finding sinks.
// Concept modules (folio, mm, fault, gup, block, dio, vfio) are functions over this context.

import { Journal } from './journal';
import type { KernelPolicy, ResolvedKernel } from './policy';
import type { EventKind, Finding, FindingKind, SimEvent } from './events';
import { VIOLATION_KINDS } from './events';
import type { Handle, HandleKind, SimState } from './state';
import { createInitialState } from './init';
import { FUNCTION_NAMES } from './function-names';

/** What an emitter supplies; the simulator adds kind, chain, line, statement and journal position. */
export type EventDetail = Omit<SimEvent, 'kind' | 'chain' | 'line' | 'stmt' | 'patchEnd'>;

/** Thrown for a scenario error found while running (unknown name, out of range): reported with its position. */
export class ScenarioRunError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

/** How far a run has got, against its budgets (reported while it runs; see `SimulateOptions.onProgress`). */
export interface SimProgress {
  /** Work units done (state changes, page accesses, statements) and the work budget. */
  work: number;
  maxWork: number;
  /** Events recorded so far. */
  events: number;
  /** Wall time since the run started, and the time budget, in milliseconds. */
  millis: number;
  maxMillis: number;
}

/** Page runs longer than this many units are summarised; shorter ones record every event. */
export const PAGE_RUN_MIN = 1024;
/** How many units at each end of a summarised page run still record their events. */
export const PAGE_RUN_EDGE = 32;

interface PageRun {
  /** Inside the summarised middle: events are counted, not recorded. */
  quiet: boolean;
  counts: Map<EventKind, number>;
  /** The first summarised unit. */
  from: number;
  /** What the run is part of, for the summary ("this write of \"buf\""). */
  what: string;
}

/** Event kinds in plain words, for a page run's summary. */
const EVENT_WORDS: Partial<Record<EventKind, string>> = {
  ref: 'reference changes',
  pin: 'pin changes',
  map: 'mapping changes',
  pte: 'PTE changes',
  table: 'page-table pages',
  fault: 'page faults',
  alloc: 'folio allocations',
  free: 'folio frees',
  flag: 'flag changes',
  gup: 'GUP steps',
  bio: 'bio steps',
  dio: 'dio steps',
  file: 'file changes',
};

/** A finding met (again) at `step`: its first step is set once, its last step follows. */
function stepFinding(f: Finding, step: number): void {
  if (f.step < 0) f.step = step;
  f.lastStep = Math.max(f.lastStep ?? step, step);
}

export class Sim {
  readonly state: SimState;
  readonly journal = new Journal();
  readonly events: SimEvent[] = [];
  readonly findings: Finding[] = [];
  readonly policy: KernelPolicy;
  /** Current kernel call chain, outermost first. */
  private stack: string[] = [];
  /** Source position of the statement being run. */
  line = 0;
  col = 1;
  stmt = 0;
  /** Folios touched since the last invariant check. */
  readonly touched = new Set<number>();
  /** Findings raised (first or again) in the current muted span; they get the step of the span's event. */
  private mutedSignatures = new Map<string, Finding>();
  /** Set when a muted iteration met a new kind of finding: the interpreter then unmutes. */
  notable = false;
  /**
   * Bumped whenever a PTE or PMD entry is installed or removed. Checks that depend only on what is mapped where
   * (stale pins) run again only when it moved, so a long run of pins costs O(1) per statement, not O(handles).
   */
  pageTableWrites = 0;
  /** The handle the previous auto-named `pin`/`get` call went to, per kind: the only one the next call can join. */
  readonly lastAutoHandle = new Map<HandleKind, Handle>();

  /** Current-kernel function name → the name in the simulated release. */
  private readonly names: Readonly<Record<string, string>>;

  constructor(readonly kernel: ResolvedKernel) {
    this.policy = kernel.policy;
    this.state = createInitialState();
    this.names = FUNCTION_NAMES[kernel.preset.elixir] ?? {};
  }

  get muted(): boolean {
    return this.journal.isMuted;
  }

  /** Run `body` as kernel function `fn`, so events inside carry it in their call chain. */
  call<T>(fn: string, body: () => T): T {
    this.stack.push(this.names[fn] ?? fn);
    try {
      return body();
    } finally {
      this.stack.pop();
    }
  }

  /** Run `body` with the call chain replaced (a different context: IRQ, a worker, another task). */
  inContext<T>(chain: readonly string[], body: () => T): T {
    const saved = this.stack;
    this.stack = chain.map((fn) => this.names[fn] ?? fn);
    try {
      return body();
    } finally {
      this.stack = saved;
    }
  }

  /** The last call chain given to an event: events with the same chain share one (frozen) array. */
  private lastChain: readonly string[] = Object.freeze([]);

  private chainNow(): string[] {
    const stack = this.stack;
    const last = this.lastChain;
    if (last.length !== stack.length || stack.some((fn, i) => fn !== last[i])) this.lastChain = Object.freeze(stack.slice());
    return this.lastChain as string[];
  }

  emit(kind: EventKind, build: () => EventDetail): void {
    // A budget ran out: stop here, between two operations, so the partial run stays consistent.
    if (this.pendingStop !== undefined) this.overBudget(this.pendingStop);
    if (this.journal.isMuted) return;
    if (this.pageRun?.quiet) {
      // The journal still records every change, so the summary step's state is exact; only the event is counted.
      this.pageRun.counts.set(kind, (this.pageRun.counts.get(kind) ?? 0) + 1);
      this.charge(1);
      return;
    }
    const d = build();
    const event: SimEvent = { kind, chain: this.chainNow(), line: this.line, stmt: this.stmt, patchEnd: this.journal.length, ...d };
    this.events.push(event);
    this.settleFindings();
    this.charge(1);
    if (this.events.length > this.limits.maxEvents) this.overBudget(`the scenario records more than ${this.limits.maxEvents.toLocaleString('en-US')} events; make it smaller`);
    if (this.approxBytes() > this.limits.maxBytes) {
      this.overBudget(`the run needs more than ${Math.round(this.limits.maxBytes / 2 ** 20).toLocaleString('en-US')} MiB of memory (${this.events.length.toLocaleString('en-US')} events, ${this.journal.length.toLocaleString('en-US')} recorded changes); make the scenario smaller or its repeats shorter`);
    }
  }

  // ---- batched page runs -----------------------------------------------------------------------------------

  /** Record every event of every page run (no summaries): `SimulateOptions.pageRuns = false`. */
  pageRunsOff = false;
  private pageRun: PageRun | undefined;

  /**
   * Run `body(i)` for each of `total` alike units (pages) of one statement. Past PAGE_RUN_MIN units, the first
   * and last PAGE_RUN_EDGE units record their events as usual and the ones between record none of their own:
   * they become one `elided` step that counts their events by kind and shows their net effect. Nested runs
   * (a fault inside a page run) belong to the outer one.
   */
  eachPage(total: number, what: string, body: (i: number) => void): void {
    if (this.pageRun || this.pageRunsOff || this.journal.isMuted || total <= PAGE_RUN_MIN) {
      for (let i = 0; i < total; i++) body(i);
      return;
    }
    const run: PageRun = { quiet: false, counts: new Map(), from: PAGE_RUN_EDGE, what };
    this.pageRun = run;
    try {
      for (let i = 0; i < total; i++) {
        if (i === PAGE_RUN_EDGE) run.quiet = true;
        else if (i === total - PAGE_RUN_EDGE) this.endPageRun(run, i);
        body(i);
      }
    } finally {
      this.pageRun = undefined;
    }
  }

  private endPageRun(run: PageRun, end: number): void {
    run.quiet = false;
    const pages = end - run.from;
    const counted = [...run.counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n.toLocaleString('en-US')} ${EVENT_WORDS[kind] ?? kind}`);
    this.emit('elided', () => ({
      text:
        `Pages ${(run.from + 1).toLocaleString('en-US')}–${end.toLocaleString('en-US')} of ${run.what} (${pages.toLocaleString('en-US')} pages) went the same way without recording each event` +
        `${counted.length ? ` (${counted.join(', ')})` : ''}; this step shows their net effect.`,
      pages,
    }));
  }

  // ---- budgets ---------------------------------------------------------------------------------------------

  /** Budgets of one run (set by `simulate`): work units, recorded events, and an estimate of retained bytes. */
  limits = { maxWork: Infinity, maxEvents: Infinity, maxBytes: Infinity, maxMillis: Infinity };
  /** When the run started (Date.now()), for the time budget: a safety net behind the deterministic work budget. */
  private started = Date.now();
  /** Work done that writes nothing (a CPU access to a mapped page, a statement), on top of the journal's writes. */
  work = 0;

  /** Set the budgets; past `maxWork` writes the journal stops the run at once, wherever it is. */
  setLimits(limits: { maxWork: number; maxEvents: number; maxBytes: number; maxMillis: number }): void {
    this.limits = limits;
    this.started = Date.now();
    this.journal.writeLimit = limits.maxWork;
    // Inside an operation (between a refcount and its holder, say) the run cannot stop: the journal only
    // notes the overrun, and the next event or statement stops the run.
    this.journal.onOverrun = () => (this.pendingStop ??= this.workMessage());
    this.journal.onTick = () => this.checkTime();
  }

  /** Why the run must stop at its next safe point (a budget ran out), if it must. */
  private pendingStop: string | undefined;

  /** `n` units of work that change nothing; noted only (safe inside an operation). */
  addWork(n: number): void {
    const before = this.work;
    this.work += n;
    if (this.work + this.journal.writes > this.limits.maxWork) this.pendingStop ??= this.workMessage();
    if (before >>> 12 !== this.work >>> 12) this.checkTime();
  }

  /** `n` units of work at a safe point (a statement's start, before a loop): stops the run when over budget. */
  charge(n: number): void {
    this.addWork(n);
    if (this.pendingStop !== undefined) this.overBudget(this.pendingStop);
  }

  /** Told how far the run has got, every 4096 units of work (the caller decides how often to pass it on). */
  onProgress: ((progress: SimProgress) => void) | undefined;

  /**
   * The time budget. Work that the work budget does not see (a scan over a table that grows with the run)
   * could still take long; this stops it. Checked every 4096 units of work.
   */
  private checkTime(): void {
    const millis = Date.now() - this.started;
    this.onProgress?.({ work: this.work + this.journal.writes, maxWork: this.limits.maxWork, events: this.events.length, millis, maxMillis: this.limits.maxMillis });
    if (millis <= this.limits.maxMillis) return;
    this.pendingStop ??= `the scenario takes more than ${(this.limits.maxMillis / 1000).toLocaleString('en-US')} seconds to simulate; make it or its repeats smaller`;
  }

  /** Work units done so far (writes and work that writes nothing), as the work budget counts them. */
  get workDone(): number {
    return this.work + this.journal.writes;
  }

  /** Stop the run for a budget (at the current line and column). */
  stopForBudget(message: string): never {
    return this.overBudget(message);
  }

  /** Stop the run; the budgets are lifted so that ending it (the last muted span's event) can go through. */
  private overBudget(message: string): never {
    this.pendingStop = undefined;
    this.limits = { maxWork: Infinity, maxEvents: Infinity, maxBytes: Infinity, maxMillis: Infinity };
    this.journal.writeLimit = Infinity;
    this.journal.onTick = undefined;
    this.error(message);
  }

  private workMessage(): string {
    return `the scenario does more than ${this.limits.maxWork.toLocaleString('en-US')} units of work (state changes and page accesses); make it or its repeats smaller`;
  }

  /** A rough estimate of the memory the run keeps: its events, its recorded changes and its folios. */
  approxBytes(): number {
    return this.events.length * 400 + this.journal.length * 48 + this.state.folios.size * 256;
  }

  /** Findings raised just before an event belong to that event: it shows their effect. */
  private unstepped: Finding[] = [];

  settleFindings(): void {
    for (const f of this.unstepped) stepFinding(f, Math.max(1, this.events.length));
    this.unstepped = [];
  }

  /** The step number the next event will have (events are numbered from 1). */
  get nextStep(): number {
    return this.events.length + 1;
  }

  /** How many findings were raised (including repeats inside muted spans). */
  findingCount = 0;

  /**
   * Findings by kind, statement (line and column), holder and folio: the same finding raised again by the same
   * statement (a repeat's refused pins) adds to the first one's count and moves its last step, so a million
   * refusals are one finding.
   */
  private findingBySignature = new Map<string, Finding>();

  /** Findings met again (already raised) while a repeat iteration is traced, in order; see `find`. */
  repeatedFindings: Finding[] | undefined;
  /** Findings raised for the first time (a new kind, statement, holder or folio), ever. */
  newFindingCount = 0;

  find(kind: FindingKind, message: string, extra: { folio?: number; holder?: string } = {}): void {
    this.findingCount++;
    if (VIOLATION_KINDS.has(kind)) this.journal.set(this.state.counters, 'violations', this.state.counters.violations + 1);
    const signature = `${kind}:${this.line}:${this.col}:${extra.holder ?? ''}:${extra.folio ?? ''}`;
    const seen = this.findingBySignature.get(signature);
    if (seen) {
      seen.count++;
      this.repeatedFindings?.push(seen);
      if (this.journal.isMuted) this.mutedSignatures.set(signature, seen);
      else this.unstepped.push(seen);
      return;
    }
    this.newFindingCount++;
    const f: Finding = { step: -1, lastStep: -1, kind, message, line: this.line, count: 1, ...extra };
    this.findingBySignature.set(signature, f);
    this.findings.push(f);
    if (this.journal.isMuted) {
      this.mutedSignatures.set(signature, f);
      this.notable = true;
      return;
    }
    this.unstepped.push(f);
  }

  /** Start a muted span: no events, mutations diffed at the end. */
  mute(): void {
    this.journal.mute([this.state]);
    this.mutedSignatures.clear();
    this.notable = false;
  }

  /** End a muted span with one `elided` event carrying its net effect and the findings met inside. */
  unmute(iterations: number, line: number, firstIteration: number): void {
    if (!this.journal.isMuted) return;
    this.journal.unmute();
    const step = this.nextStep;
    for (const f of this.mutedSignatures.values()) stepFinding(f, step);
    this.mutedSignatures.clear();
    this.notable = false;
    const savedLine = this.line;
    this.line = line;
    this.emit('elided', () => ({
      text:
        `Iterations ${firstIteration.toLocaleString('en-US')}–${(firstIteration + iterations - 1).toLocaleString('en-US')} of the repeat ` +
        `ran without recording each event (${iterations.toLocaleString('en-US')} iterations); this step shows their net effect.`,
      iterations,
    }));
    this.line = savedLine;
  }

  error(message: string): never {
    throw new ScenarioRunError(message, this.line, this.col);
  }
}
