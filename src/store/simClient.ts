// The page's side of the simulation worker: runs scenarios in a Web Worker one at a time, rebuilds each run
// from its packed form, passes progress on, and lets a newer run supersede an older one of the same channel
// (the explorer's run, the compare kernel's run) or the user cancel them all.
//
// A worker busy in `simulate()` cannot read a message, so the only way to stop a run is to terminate the
// worker; a fresh one is started in its place at once. Runs wait here, not in the worker's message queue, so a
// waiting run can be replaced without touching the worker.
//
// Where no worker can be had (no Worker at all, a page opened from file://, a policy that forbids workers, a
// worker script that does not load), runs go on the page's thread as before, synchronously once the simulator
// is loaded on the page: `done` is called before `run` returns. The page loads the simulator (runSource) only
// then, with import(): with a worker it never needs it, and it is most of the first-picture JavaScript.

import { RunUnpacker, type PackedRun, type SimProgress } from '../core';
import type { ScenarioError } from '../scenario';
import type { RunRequest, WorkerReply } from '../worker/protocol';
import type { RunResult } from './runSource';

type PageRunner = (source: string, kernelSpec: string | null) => RunResult;
let pageRunner: PageRunner | null = null;
let pageRunnerLoading: Promise<PageRunner> | null = null;

/** Load the simulator onto the page for runs without a worker (once; later calls give the same promise). */
export function loadPageRunner(): Promise<PageRunner> {
  pageRunnerLoading ??= import('./runSource').then((m) => (pageRunner = m.runSource));
  return pageRunnerLoading;
}

/** What the client needs of a worker (the platform Worker has it; tests pass a fake). */
export interface SimWorker {
  postMessage(message: RunRequest, transfer: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerReply }) => void): void;
  /** A worker script that cannot load, or an error nobody caught inside it. */
  addEventListener(type: 'error', listener: (event: { preventDefault?(): void; message?: string }) => void): void;
}

/** Start a worker, or throw when none can be had. */
export type SpawnWorker = () => SimWorker;

export interface RunTiming {
  where: 'worker' | 'page';
  /** From the request to the rebuilt run, in milliseconds. */
  totalMs: number;
  simulateMs: number;
  /** Packing in the worker and rebuilding on the page (0 on the page's thread). */
  packMs: number;
  unpackMs: number;
}

export interface RunHandlers {
  progress?(progress: SimProgress): void;
  done(result: RunResult, timing: RunTiming): void;
  /** The run will not finish: the user cancelled it, or a newer run of the same channel replaced it. */
  dropped?(reason: 'cancelled' | 'superseded'): void;
}

export interface RunInFlight {
  channel: string;
  /** When it was asked for (the clock given to the client). */
  since: number;
  /** Whether the worker is on it (false: waiting for the worker). */
  started: boolean;
}

interface Job extends RunInFlight {
  id: number;
  source: string;
  kernelSpec: string | null;
  handlers: RunHandlers;
}

/** A worker that has not said it is ready by then is taken as one that cannot load. */
export const READY_TIMEOUT_MS = 10_000;

/**
 * A run from the worker is rebuilt on the page in slices of about this many milliseconds, with the page free to
 * paint and take input in between (a 100,000-event run takes a few hundred milliseconds to rebuild).
 */
export const UNPACK_SLICE_MS = 8;
/** How many packed slots are decoded between two looks at the clock. */
const UNPACK_SLOTS_PER_CHECK = 20_000;

export interface SimClientOptions {
  now?: () => number;
  sliceMs?: number;
  /** Run `task` later, after the page has had a chance to paint (setTimeout by default). */
  later?: (task: () => void) => void;
}

export class SimClient {
  private worker: SimWorker | null = null;
  private ready = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  /** The run the worker is on. */
  private running: Job | null = null;
  /** A run the worker finished, being rebuilt on the page (the worker is free for the next one meanwhile). */
  private unpacking: Job | null = null;
  private waiting: Job[] = [];
  private nextId = 1;
  private pumping = false;
  /** Told whenever the set of runs in flight changes (for a progress bar). */
  onChange: (() => void) | undefined;

  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly later: (task: () => void) => void;

  constructor(
    private spawn: SpawnWorker | null,
    options: SimClientOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.sliceMs = options.sliceMs ?? UNPACK_SLICE_MS;
    this.later = options.later ?? ((task) => setTimeout(task, 0));
  }

  /** Whether runs go to a worker (false once none could be started: they run on the page's thread). */
  get usesWorker(): boolean {
    return this.spawn !== null;
  }

  /** Start the worker before the first run is asked for (it loads meanwhile). */
  warmUp(): void {
    this.workerOrNull();
  }

  /** Runs asked for and not finished, the one the worker is on first. */
  inFlight(): RunInFlight[] {
    return [this.unpacking, this.running, ...this.waiting].filter((j): j is Job => j !== null).map((j) => ({ channel: j.channel, since: j.since, started: j.started }));
  }

  /** Run `source` under `kernelSpec` on `channel`, replacing any run of that channel not finished yet. */
  run(channel: string, source: string, kernelSpec: string | null, handlers: RunHandlers): void {
    this.drop(channel, 'superseded');
    this.waiting.push({ id: this.nextId++, channel, source, kernelSpec, handlers, since: this.now(), started: false });
    this.changed();
    this.pump();
  }

  /** Give up the runs of `channel` (all channels when omitted); a run the worker is on ends with the worker. */
  cancel(channel?: string): void {
    this.drop(channel, 'cancelled');
    this.changed();
    this.pump();
  }

  private drop(channel: string | undefined, reason: 'cancelled' | 'superseded'): void {
    const dropped: Job[] = [];
    if (this.unpacking && (channel === undefined || this.unpacking.channel === channel)) {
      dropped.push(this.unpacking);
      this.unpacking = null;
    }
    if (this.running && (channel === undefined || this.running.channel === channel)) {
      dropped.push(this.running);
      this.running = null;
      this.restart();
    }
    this.waiting = this.waiting.filter((j) => {
      if (channel !== undefined && j.channel !== channel) return true;
      dropped.push(j);
      return false;
    });
    for (const j of dropped) j.handlers.dropped?.(reason);
  }

  /** Hand the next waiting run to the worker, or run waiting runs here when there is no worker. */
  private pump(): void {
    // `done` handlers may ask for more runs; the loop below takes them, so they keep their order.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.running && this.waiting.length > 0) {
        const worker = this.workerOrNull();
        if (!worker && !pageRunner) {
          // The runs wait (still cancellable, still shown in flight) until the simulator is on the page.
          loadPageRunner().then(
            () => this.pump(),
            (err: unknown) => console.error('pinscope: the simulator could not be loaded on the page', err),
          );
          break;
        }
        const job = this.waiting.shift()!;
        if (!worker) {
          this.runHere(job);
          continue;
        }
        this.running = job;
        job.started = true;
        worker.postMessage({ type: 'run', id: job.id, source: job.source, kernelSpec: job.kernelSpec }, []);
        this.changed();
      }
    } finally {
      this.pumping = false;
    }
  }

  private runHere(job: Job): void {
    const t0 = this.now();
    const result = pageRunner!(job.source, job.kernelSpec);
    const ms = this.now() - t0;
    job.handlers.done(result, { where: 'page', totalMs: ms, simulateMs: ms, packMs: 0, unpackMs: 0 });
    this.changed();
  }

  private workerOrNull(): SimWorker | null {
    if (this.worker) return this.worker;
    if (!this.spawn) return null;
    let worker: SimWorker;
    try {
      worker = this.spawn();
    } catch {
      this.spawn = null;
      return null;
    }
    this.worker = worker;
    this.ready = false;
    worker.addEventListener('message', (event) => this.receive(worker, event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      this.failed(worker, event.message);
    });
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => {
      if (this.worker === worker && !this.ready) this.failed(worker, undefined);
    }, READY_TIMEOUT_MS);
    return worker;
  }

  /** Stop the worker (and whatever it is running) and start a fresh one for what comes next. */
  private restart(): void {
    clearTimeout(this.readyTimer);
    this.worker?.terminate();
    this.worker = null;
    this.ready = false;
    // Started now, so that it has loaded by the time the next run is asked for.
    this.workerOrNull();
  }

  private receive(worker: SimWorker, reply: WorkerReply): void {
    if (worker !== this.worker) return;
    if (reply.type === 'ready') {
      this.ready = true;
      clearTimeout(this.readyTimer);
      return;
    }
    const job = this.running;
    if (!job || reply.id !== job.id) return; // an answer to a run given up since
    if (reply.type === 'progress') {
      job.handlers.progress?.(reply.progress);
      return;
    }
    this.running = null;
    if (reply.type === 'failed') {
      this.finish(job, { errors: [internalError(reply.message)] }, { simulateMs: 0, packMs: 0, unpackMs: 0 });
    } else if (!reply.packed) {
      this.finish(job, { errors: reply.errors }, { simulateMs: reply.simulateMs, packMs: 0, unpackMs: 0 });
    } else {
      this.unpacking = job;
      this.unpackInSlices(job, reply.packed, reply.errors, { simulateMs: reply.simulateMs, packMs: reply.packMs });
    }
    // The worker is free: the next run goes to it while this one is rebuilt.
    this.pump();
  }

  private unpackInSlices(job: Job, packed: PackedRun, errors: ScenarioError[], timing: { simulateMs: number; packMs: number }): void {
    let unpackMs = 0;
    let unpacker: RunUnpacker;
    try {
      unpacker = new RunUnpacker(packed);
    } catch (e) {
      this.unpacking = null;
      this.finish(job, { errors: [rebuildError(e)] }, { ...timing, unpackMs });
      return;
    }
    const slice = () => {
      if (this.unpacking !== job) return; // given up meanwhile
      const start = this.now();
      let result: RunResult;
      try {
        while (!unpacker.advance(UNPACK_SLOTS_PER_CHECK)) {
          if (this.now() - start >= this.sliceMs) {
            unpackMs += this.now() - start;
            this.later(slice);
            return;
          }
        }
        result = { run: unpacker.run(), errors };
      } catch (e) {
        result = { errors: [rebuildError(e)] };
      }
      unpackMs += this.now() - start;
      this.unpacking = null;
      this.finish(job, result, { ...timing, unpackMs });
      this.pump();
    };
    slice();
  }

  private finish(job: Job, result: RunResult, timing: { simulateMs: number; packMs: number; unpackMs: number }): void {
    job.handlers.done(result, { where: 'worker', totalMs: this.now() - job.since, ...timing });
    // After `done`: a run it asked for is then already in flight, so "nothing in flight" means settled.
    this.changed();
  }

  /** The worker broke: before it was ready it cannot load here (use the page's thread from now on). */
  private failed(worker: SimWorker, message: string | undefined): void {
    if (worker !== this.worker) return;
    clearTimeout(this.readyTimer);
    worker.terminate();
    this.worker = null;
    const job = this.running;
    this.running = null;
    if (!this.ready) {
      this.spawn = null;
      if (job) this.waiting.unshift(job);
    } else if (job) {
      this.finish(job, { errors: [internalError(message ?? 'the simulation worker stopped')] }, { simulateMs: 0, packMs: 0, unpackMs: 0 });
    }
    this.pump();
  }

  private changed(): void {
    this.onChange?.();
  }
}

function rebuildError(e: unknown): ScenarioError {
  return internalError(`the run could not be rebuilt on the page: ${e instanceof Error ? e.message : String(e)}`);
}

function internalError(message: string): ScenarioError {
  return { file: 'scenario.scn', line: 1, col: 1, message: `internal error: ${message}` };
}
