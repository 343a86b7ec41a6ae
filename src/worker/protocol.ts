// The messages between the page and the simulation worker, and the worker's side of them as a plain function
// (`serve`), so that it is tested in Node without a worker.
//
// page → worker: `run` (one at a time: the page sends the next only when the previous one answered).
// worker → page: `ready` once loaded; `progress` at most every PROGRESS_INTERVAL_MS while a run goes; then
// `done` with the errors and the packed run (its buffers transferred), or `failed` if the simulator threw.

import { packRun, packedTransferables, type PackedRun, type SimProgress } from '../core';
import type { ScenarioError } from '../scenario';
import { runSource } from '../store/runSource';

export interface RunRequest {
  type: 'run';
  id: number;
  source: string;
  kernelSpec: string | null;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; id: number; progress: SimProgress }
  | { type: 'done'; id: number; errors: ScenarioError[]; packed?: PackedRun; simulateMs: number; packMs: number }
  | { type: 'failed'; id: number; message: string };

/** Progress is passed on at most this often (10 a second): more would only keep the page busy. */
export const PROGRESS_INTERVAL_MS = 100;

export function serve(request: RunRequest, post: (reply: WorkerReply, transfer?: Transferable[]) => void, now: () => number = () => performance.now()): void {
  const started = now();
  let lastProgress = started;
  try {
    const result = runSource(request.source, request.kernelSpec, (progress) => {
      const t = now();
      if (t - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = t;
      post({ type: 'progress', id: request.id, progress });
    });
    const simulated = now();
    if (!result.run) {
      post({ type: 'done', id: request.id, errors: result.errors, simulateMs: simulated - started, packMs: 0 });
      return;
    }
    const packed = packRun(result.run);
    post({ type: 'done', id: request.id, errors: result.errors, packed, simulateMs: simulated - started, packMs: now() - simulated }, packedTransferables(packed));
  } catch (e) {
    // An internal error of the simulator: the page shows it as the run's error instead of waiting forever.
    post({ type: 'failed', id: request.id, message: e instanceof Error ? e.message : String(e) });
  }
}
