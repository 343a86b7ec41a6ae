// The page's side of the simulation worker, against a fake worker that answers with the real worker code
// (`serve`): the message protocol, one run at a time, supersede, cancel, and the page-thread fallback.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_INTERVAL_MS, serve, type RunRequest, type WorkerReply } from '../worker/protocol';
import { READY_TIMEOUT_MS, SimClient, type RunHandlers, type SimClientOptions, type SimWorker } from './simClient';
import { runSource, type RunResult } from './runSource';

const SMALL = 'title small\nmmap buf 16K\nread buf\npin buf 0 16K\n';
const OTHER = 'title other\nmmap buf 4K\nwrite buf\n';

class FakeWorker implements SimWorker {
  readonly posted: RunRequest[] = [];
  terminated = false;
  private readonly listeners: { message: ((e: { data: WorkerReply }) => void)[]; error: ((e: { message?: string }) => void)[] } = { message: [], error: [] };

  postMessage(message: RunRequest, transfer: Transferable[]): void {
    // The page sends plain requests: nothing to transfer (a non-empty list would be a protocol bug).
    if (transfer.length > 0) throw new Error(`a run request transfers ${transfer.length} buffer(s)`);
    // Structured clone, as the real postMessage does: the worker never shares the page's objects.
    this.posted.push(structuredClone(message));
  }

  terminate(): void {
    this.terminated = true;
  }

  addEventListener(type: 'message' | 'error', listener: (event: never) => void): void {
    (this.listeners[type] as unknown[]).push(listener);
  }

  /** Send a reply to the page, through structured clone with the transfer list, as a real worker would. */
  reply(data: WorkerReply, transfer: Transferable[] = []): void {
    const cloned = structuredClone(data, { transfer });
    for (const l of this.listeners.message) l({ data: cloned });
  }

  ready(): void {
    this.reply({ type: 'ready' });
  }

  /** Run the request the page sent last through the real worker code and send its replies. */
  answer(request = this.posted[this.posted.length - 1]!): void {
    serve(request, (reply, transfer) => this.reply(reply, transfer));
  }

  fail(message?: string): void {
    for (const l of this.listeners.error) l(message === undefined ? {} : { message });
  }
}

function setup(options: SimClientOptions = {}) {
  const workers: FakeWorker[] = [];
  const client = new SimClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, options);
  return { client, workers, current: () => workers.filter((w) => !w.terminated).at(-1)! };
}

/** Handlers that record what happened to a run. */
function recorder() {
  const log: { done?: RunResult; dropped?: string; progress: number } = { progress: 0 };
  const handlers: RunHandlers = {
    done: (result) => (log.done = result),
    dropped: (reason) => (log.dropped = reason),
    progress: () => log.progress++,
  };
  return { log, handlers };
}

/** The run's snapshots at every `every`-th step and the last (every step by default), as JSON. */
const snapshots = (r: RunResult, every = 1) =>
  Array.from({ length: r.run!.lastStep + 1 }, (_, s) => s)
    .filter((s) => s % every === 0 || s === r.run!.lastStep)
    .map((s) => JSON.stringify(r.run!.snapshot(s)));

afterEach(() => {
  vi.useRealTimers();
});

describe('SimClient with a worker', () => {
  it('sends the text and kernel, and rebuilds the run the worker packed', () => {
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', SMALL, 'v6.1', handlers);
    const w = current();
    w.ready();
    expect(w.posted).toEqual([{ type: 'run', id: 1, source: SMALL, kernelSpec: 'v6.1' }]);
    expect(log.done).toBeUndefined();
    w.answer();
    expect(log.done?.errors).toEqual([]);
    expect(log.done?.run?.kernel.label).toBe('v6.1');
    expect(snapshots(log.done!)).toEqual(snapshots(runSource(SMALL, 'v6.1')));
    expect(client.inFlight()).toEqual([]);
  });

  it('passes errors through without a run', () => {
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', 'mmap buf\n', null, handlers);
    current().answer();
    expect(log.done?.run).toBeUndefined();
    expect(log.done?.errors).toEqual(runSource('mmap buf\n', null).errors);
  });

  it('gives the worker one run at a time, in order', () => {
    const { client, current } = setup();
    const main = recorder();
    const compare = recorder();
    client.run('main', SMALL, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', compare.handlers);
    const w = current();
    expect(w.posted.map((p) => p.id)).toEqual([1]);
    expect(client.inFlight().map((r) => [r.channel, r.started])).toEqual([
      ['main', true],
      ['compare', false],
    ]);
    w.answer();
    expect(main.log.done?.run).toBeDefined();
    expect(w.posted.map((p) => p.kernelSpec)).toEqual([null, 'v5.10']);
    w.answer();
    expect(compare.log.done?.run?.kernel.label).toBe('v5.10');
  });

  it('a newer run of the same channel stops the worker on the old one and starts a fresh worker', () => {
    const { client, workers, current } = setup();
    const old = recorder();
    const newer = recorder();
    client.run('main', SMALL, null, old.handlers);
    const first = current();
    const request = first.posted[0]!;
    client.run('main', OTHER, null, newer.handlers);
    expect(first.terminated).toBe(true);
    expect(old.log.dropped).toBe('superseded');
    expect(workers).toHaveLength(2);
    const second = current();
    expect(second.posted.map((p) => p.source)).toEqual([OTHER]);
    // A late answer from the stopped worker is ignored.
    first.answer(request);
    expect(old.log.done).toBeUndefined();
    expect(newer.log.done).toBeUndefined();
    second.answer();
    expect(newer.log.done?.run?.title).toBe('other');
  });

  it('a newer run replaces a waiting one of its channel without stopping the worker', () => {
    const { client, current } = setup();
    const main = recorder();
    const staleCompare = recorder();
    const compare = recorder();
    client.run('main', SMALL, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', staleCompare.handlers);
    client.run('compare', SMALL, 'v6.5', compare.handlers);
    const w = current();
    expect(w.terminated).toBe(false);
    expect(staleCompare.log.dropped).toBe('superseded');
    w.answer();
    w.answer();
    expect(w.posted.map((p) => p.kernelSpec)).toEqual([null, 'v6.5']);
    expect(compare.log.done?.run?.kernel.label).toBe('v6.5');
    expect(staleCompare.log.done).toBeUndefined();
  });

  it('cancel stops the worker, drops every run, and the fresh worker takes the next one', () => {
    const { client, current } = setup();
    const main = recorder();
    const compare = recorder();
    client.run('main', SMALL, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', compare.handlers);
    const first = current();
    client.cancel();
    expect(first.terminated).toBe(true);
    expect([main.log.dropped, compare.log.dropped]).toEqual(['cancelled', 'cancelled']);
    expect(client.inFlight()).toEqual([]);
    const next = recorder();
    client.run('main', OTHER, null, next.handlers);
    const second = current();
    expect(second).not.toBe(first);
    second.answer();
    expect(next.log.done?.run?.title).toBe('other');
  });

  it('cancel of one channel leaves the other running', () => {
    const { client, current } = setup();
    const main = recorder();
    const compare = recorder();
    client.run('main', SMALL, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', compare.handlers);
    client.cancel('compare');
    const w = current();
    expect(w.terminated).toBe(false);
    expect(compare.log.dropped).toBe('cancelled');
    w.answer();
    expect(main.log.done?.run).toBeDefined();
    expect(w.posted).toHaveLength(1);
  });

  it('passes progress on for the run in flight only', () => {
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    const w = current();
    const progress = { work: 10, maxWork: 100, events: 3, millis: 5, maxMillis: 5000 };
    w.reply({ type: 'progress', id: 1, progress });
    w.reply({ type: 'progress', id: 99, progress });
    expect(log.progress).toBe(1);
  });

  it('a simulator that throws in the worker ends the run with an internal error', () => {
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    current().reply({ type: 'failed', id: 1, message: 'no folio 7' });
    expect(log.done?.errors.map((e) => e.message)).toEqual(['internal error: no folio 7']);
  });

  it('a worker that breaks after it was ready fails its run and is replaced', () => {
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    const first = current();
    first.ready();
    first.fail('out of memory');
    expect(first.terminated).toBe(true);
    expect(log.done?.errors.map((e) => e.message)).toEqual(['internal error: out of memory']);
    expect(client.usesWorker).toBe(true);
    const next = recorder();
    client.run('main', OTHER, null, next.handlers);
    current().answer();
    expect(next.log.done?.run?.title).toBe('other');
  });

  it('the change listener sees a run asked for in `done` as in flight, so "nothing in flight" means settled', () => {
    const { client, current } = setup();
    const seen: string[][] = [];
    client.onChange = () => seen.push(client.inFlight().map((r) => r.channel));
    client.run('main', 'mmap buf\n', null, {
      done: () => client.run('main', SMALL, null, { done: () => undefined }),
    });
    current().answer();
    expect(seen.at(-1)).toEqual(['main']);
    current().answer();
    expect(seen.at(-1)).toEqual([]);
  });
});

describe('SimClient rebuilding a big run in slices', () => {
  // Enough events that the packed run is many times the slots decoded between two looks at the clock.
  const BIG = `mmap buf 64K\n${Array.from({ length: 1500 }, (_, i) => `pin p${i} buf ${(i % 16) * 4}K 4K\nunpin p${i}`).join('\n')}\n`;
  /** A client that yields after every look at the clock, with the tasks it leaves for later in a queue. */
  function sliced() {
    const tasks: (() => void)[] = [];
    const t = setup({ sliceMs: 0, later: (task) => tasks.push(task) });
    return { ...t, tasks, drain: () => {
      let n = 0;
      while (tasks.length > 0) {
        tasks.shift()!();
        n++;
      }
      return n;
    } };
  }

  it('rebuilds it over several tasks, leaving the worker free for the next run meanwhile', () => {
    const { client, current, tasks, drain } = sliced();
    const main = recorder();
    const compare = recorder();
    client.run('main', BIG, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', compare.handlers);
    const w = current();
    w.answer(w.posted[0]);
    expect(main.log.done).toBeUndefined();
    expect(tasks.length).toBe(1);
    expect(client.inFlight().map((r) => r.channel)).toEqual(['main', 'compare']);
    expect(w.posted.map((p) => p.kernelSpec)).toEqual([null, 'v5.10']);
    expect(drain()).toBeGreaterThan(1);
    expect(main.log.done!.run!.events).toEqual(runSource(BIG, null).run!.events);
    expect(snapshots(main.log.done!, 251)).toEqual(snapshots(runSource(BIG, null), 251));
    expect(client.inFlight().map((r) => r.channel)).toEqual(['compare']);
  }, 30_000);

  it('a newer run of the channel drops a run being rebuilt without stopping the worker', () => {
    const { client, current, drain } = sliced();
    const old = recorder();
    const newer = recorder();
    client.run('main', BIG, null, old.handlers);
    const w = current();
    w.answer();
    client.run('main', SMALL, null, newer.handlers);
    expect(old.log.dropped).toBe('superseded');
    expect(w.terminated).toBe(false);
    w.answer();
    drain();
    expect(old.log.done).toBeUndefined();
    expect(newer.log.done?.run?.title).toBe('small');
  });

  it('cancel drops a run being rebuilt', () => {
    const { client, current, drain } = sliced();
    const { log, handlers } = recorder();
    client.run('main', BIG, null, handlers);
    current().answer();
    client.cancel();
    drain();
    expect(log.dropped).toBe('cancelled');
    expect(log.done).toBeUndefined();
    expect(client.inFlight()).toEqual([]);
  });
});

describe('SimClient without a worker', () => {
  it('runs on the page, before `run` returns, when no worker can be started', () => {
    const client = new SimClient(() => {
      throw new Error('Failed to construct Worker: file:// origin');
    });
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    expect(log.done?.run?.title).toBe('small');
    expect(client.usesWorker).toBe(false);
  });

  it('runs on the page with no factory at all', () => {
    const client = new SimClient(null);
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    expect(log.done?.run).toBeDefined();
  });

  it('moves to the page when the worker script fails to load, rerunning what was waiting', () => {
    const { client, current } = setup();
    const main = recorder();
    const compare = recorder();
    client.run('main', SMALL, null, main.handlers);
    client.run('compare', SMALL, 'v5.10', compare.handlers);
    current().fail();
    expect(main.log.done?.run?.title).toBe('small');
    expect(compare.log.done?.run?.kernel.label).toBe('v5.10');
    expect(client.usesWorker).toBe(false);
  });

  it('moves to the page when the worker never says it is ready', () => {
    vi.useFakeTimers();
    const { client, current } = setup();
    const { log, handlers } = recorder();
    client.run('main', SMALL, null, handlers);
    const w = current();
    vi.advanceTimersByTime(READY_TIMEOUT_MS - 1);
    expect(log.done).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(w.terminated).toBe(true);
    expect(log.done?.run?.title).toBe('small');
  });
});

describe('the worker side (serve)', () => {
  it('reports progress at most every PROGRESS_INTERVAL_MS, then the packed run with its buffers to transfer', () => {
    let clock = 0;
    const replies: { reply: WorkerReply; transfer: Transferable[] }[] = [];
    // A clock that moves 50 ms per reading: the run's readings span many intervals.
    serve(
      { type: 'run', id: 4, source: 'kernel v5.10\nmmap buf 4K\nread buf\nrepeat 5000\n  pin buf 0 4K\n  pin buf 0 4K\nend\n', kernelSpec: null },
      (reply, transfer) => replies.push({ reply, transfer: transfer ?? [] }),
      () => (clock += 50),
    );
    const progress = replies.filter((r) => r.reply.type === 'progress');
    const done = replies.at(-1)!;
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(clock / PROGRESS_INTERVAL_MS));
    for (const p of progress) expect(p.reply).toMatchObject({ id: 4, progress: { maxWork: 4_000_000, maxMillis: 5000 } });
    expect(done.reply.type).toBe('done');
    expect(done.transfer).toHaveLength(3);
    expect(done.transfer.every((t) => t instanceof ArrayBuffer)).toBe(true);
  }, 30_000);
});
