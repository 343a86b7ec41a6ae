// Starting the simulation worker. Vite sees `new Worker(new URL(...), { type: 'module' })` and builds
// sim.worker.ts (with the simulator) into a file of its own.

import type { SimWorker } from '../store/simClient';

export function spawnSimWorker(): SimWorker {
  if (typeof Worker === 'undefined') throw new Error('this environment has no Web Worker');
  // Throws on a page opened from file:// (a worker script must come from the page's origin).
  return new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'pinscope-simulator' }) as unknown as SimWorker;
}
