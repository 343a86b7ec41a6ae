// The single-file build (vite.single.config.ts) uses this instead of gifSpawn.ts: the one file has nowhere to
// keep a worker script, so the GIF is written on the page.

export function spawnGifWorker(): Worker | null {
  return null;
}
