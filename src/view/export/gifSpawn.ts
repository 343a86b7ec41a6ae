// Starting the GIF worker. Vite builds gif.worker.ts (with gifenc) into a file of its own.

export function spawnGifWorker(): Worker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    return new Worker(new URL('./gif.worker.ts', import.meta.url), { type: 'module', name: 'pinscope-gif' });
  } catch {
    // A page from file:// may not start a worker from a file: the GIF is then written on the page.
    return null;
  }
}
