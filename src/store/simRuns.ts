// The explorer's simulation runs: one client (src/store/simClient.ts) for the page, and what is in flight
// for the progress bar (channel, since when, how far), as a small store of its own so that progress ticks
// re-render only the bar.

import { create } from 'zustand';
import type { SimProgress } from '../core';
import { spawnSimWorker } from '../worker/spawn';
import { SimClient, type RunHandlers } from './simClient';

export type RunChannel = 'main' | 'compare';

export interface RunActivity {
  channel: RunChannel;
  since: number;
  progress: SimProgress | null;
}

export const useSimRuns = create<{ active: RunActivity[] }>()(() => ({ active: [] }));

const client = new SimClient(spawnSimWorker);

/**
 * Start the worker before the first run is asked for, so that it loads while the page does (src/main.tsx calls
 * it at once, except for an embed's click-to-load poster, which must not start the simulator). A run starts
 * the worker anyway.
 */
export function warmUpSimulator(): void {
  client.warmUp();
}

const progressOf = new Map<RunChannel, SimProgress>();

client.onChange = () => {
  const active = client.inFlight().map((r) => ({ channel: r.channel as RunChannel, since: r.since, progress: progressOf.get(r.channel as RunChannel) ?? null }));
  for (const channel of progressOf.keys()) if (!active.some((a) => a.channel === channel)) progressOf.delete(channel);
  useSimRuns.setState({ active });
};

/** Run `source` on `channel`; a run of that channel still in flight is dropped ("superseded"). */
export function requestRun(channel: RunChannel, source: string, kernelSpec: string | null, handlers: RunHandlers): void {
  progressOf.delete(channel);
  client.run(channel, source, kernelSpec, {
    ...handlers,
    progress: (p) => {
      progressOf.set(channel, p);
      useSimRuns.setState((s) => ({ active: s.active.map((a) => (a.channel === channel ? { ...a, progress: p } : a)) }));
      handlers.progress?.(p);
    },
  });
}

/** Give up the runs of `channel`, or all of them (the Cancel button): the worker is stopped and replaced. */
export function cancelRuns(channel?: RunChannel): void {
  client.cancel(channel);
}

/**
 * Resolves once no run of `channel` (of any channel when omitted) is in flight: what was asked for has been
 * shown, or given up. Already resolved when nothing is in flight (as always without a worker).
 */
export function runsSettled(channel?: RunChannel): Promise<void> {
  const busy = () => useSimRuns.getState().active.some((a) => channel === undefined || a.channel === channel);
  if (!busy()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = useSimRuns.subscribe(() => {
      if (busy()) return;
      unsubscribe();
      resolve();
    });
  });
}

/** Whether runs go to a worker (false when none could be started: they run on the page's thread). */
export function runsInWorker(): boolean {
  return client.usesWorker;
}
