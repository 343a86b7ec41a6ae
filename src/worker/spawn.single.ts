// The single-file build (vite.single.config.ts) uses this instead of spawn.ts: a page opened from file:// may
// not start a worker from a script file, and the one file has nowhere to keep one. The client then runs the
// simulator on the page, as it does wherever no worker can be had.

import type { SimWorker } from '../store/simClient';

export function spawnSimWorker(): SimWorker {
  throw new Error('the single-file copy runs the simulator on the page');
}
