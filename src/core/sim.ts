// The simulation context: live state, journal, policy, the kernel call stack and the event/finding sinks.
// Concept modules (folio, mm, fault, gup, block, dio, vfio) are functions over this context.

import { Journal } from './journal';
import type { KernelPolicy, ResolvedKernel } from './policy';
import type { EventKind, Finding, FindingKind, SimEvent } from './events';
import { VIOLATION_KINDS } from './events';
import type { SimState } from './state';
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
  /** Findings raised while muted; they get the step of the muted span's event. */
  private pendingFindings: Finding[] = [];
  /** Signatures of findings seen in the current muted span (to tell a new kind of trouble from a repeat). */
  private mutedSignatures = new Map<string, Finding>();
  /** Set when a muted iteration met a new kind of finding: the interpreter then unmutes. */
  notable = false;

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

  emit(kind: EventKind, build: () => EventDetail): void {
    if (this.journal.isMuted) return;
    const d = build();
    const event: SimEvent = { kind, chain: this.stack.slice(), line: this.line, stmt: this.stmt, patchEnd: this.journal.length, ...d };
    this.events.push(event);
    this.settleFindings();
  }

  /** Findings raised just before an event belong to that event: it shows their effect. */
  private unstepped: Finding[] = [];

  settleFindings(): void {
    for (const f of this.unstepped) f.step = Math.max(1, this.events.length);
    this.unstepped = [];
  }

  /** The step number the next event will have (events are numbered from 1). */
  get nextStep(): number {
    return this.events.length + 1;
  }

  /** How many findings were raised (including repeats inside muted spans). */
  findingCount = 0;

  find(kind: FindingKind, message: string, extra: { folio?: number; holder?: string } = {}): void {
    this.findingCount++;
    if (VIOLATION_KINDS.has(kind)) this.journal.set(this.state.counters, 'violations', this.state.counters.violations + 1);
    if (this.journal.isMuted) {
      const signature = `${kind}:${this.line}:${extra.holder ?? ''}`;
      const seen = this.mutedSignatures.get(signature);
      if (seen) {
        seen.count++;
        return;
      }
      const f: Finding = { step: -1, kind, message, line: this.line, count: 1, ...extra };
      this.mutedSignatures.set(signature, f);
      this.pendingFindings.push(f);
      this.notable = true;
      return;
    }
    const finding: Finding = { step: -1, kind, message, line: this.line, count: 1, ...extra };
    this.findings.push(finding);
    this.unstepped.push(finding);
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
    for (const f of this.pendingFindings) this.findings.push({ ...f, step });
    this.pendingFindings = [];
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
