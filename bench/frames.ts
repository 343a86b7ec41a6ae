// Frame times in Chromium while the explorer plays (the real player at 8 and 32 events per second), steps on
// every frame (a stress test), scrubs and jumps through the built-in scenarios.
//   npm run build && npx vite preview --port 4173 &   then   npm run -s bench:frames
// Prints one JSON object: per scenario and activity, frame interval percentiles (ms) from requestAnimationFrame,
// and `dropped`: intervals over 25 ms (a missed 60 Hz frame).
import { chromium } from '@playwright/test';

const base = process.env.PINSCOPE_URL ?? 'http://127.0.0.1:4173/';
// PINSCOPE_SCENARIOS (comma-separated ids) measures only those.
const scenarios = process.env.PINSCOPE_SCENARIOS?.split(',') ?? ['dio-write-zero-page', 'legacy-subblock-zeroing', 'vfio-zero-page', 'dio-read-fresh-memory'];

interface Stats {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  dropped: number;
}

function stats(intervals: number[]): Stats {
  const sorted = [...intervals].sort((a, b) => a - b);
  const q = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2));
  return { frames: sorted.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), dropped: sorted.filter((x) => x > 25).length };
}

const browser = await chromium.launch({
  executablePath: process.env.PINSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
// tsx keeps function names with a __name helper that does not exist inside the page.
await page.addInitScript('globalThis.__name = (f) => f;');
const results: Record<string, Record<string, Stats>> = {};
for (const id of scenarios) {
  await page.goto(`${base}?scenario=${id}`);
  await page.waitForFunction(() => ((window as unknown as { __pinscope?: { lastStep(): number } }).__pinscope?.lastStep() ?? 0) > 0);
  // One frame recorder for every activity: the real player at a speed, or seeking driven from here.
  const measure = async (what: 'play' | 'scrub' | 'jump' | 'player', speed = 0) =>
    page.evaluate(
      async ([activity, eventsPerSecond]) => {
        type Api = { seek(n: number): void; lastStep(): number; play(speed: number): void; pause(): void };
        const api = (window as unknown as { __pinscope: Api }).__pinscope;
        const intervals: number[] = [];
        let last = performance.now();
        let running = true;
        const frame = (now: number) => {
          intervals.push(now - last);
          last = now;
          if (running) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        const n = api.lastStep();
        const started = performance.now();
        if (activity === 'player') {
          api.seek(0);
          api.play(eventsPerSecond);
          await new Promise((r) => setTimeout(r, 3000));
          api.pause();
        } else {
          let i = 0;
          while (performance.now() - started < 3000) {
            if (activity === 'play') api.seek(i % (n + 1));
            else if (activity === 'scrub') api.seek(Math.round((Math.sin(i / 20) * 0.5 + 0.5) * n));
            else api.seek(Math.floor(Math.random() * (n + 1)));
            i++;
            // One step per frame for play and scrub; a jump every 50 ms.
            await new Promise((r) => setTimeout(r, activity === 'jump' ? 50 : 16));
          }
        }
        running = false;
        return intervals.slice(2);
      },
      [what, speed] as const,
    );
  results[id] = {
    playback8: stats(await measure('player', 8)),
    playback32: stats(await measure('player', 32)),
    everyFrame: stats(await measure('play')),
    scrub: stats(await measure('scrub')),
    jump: stats(await measure('jump')),
  };
}
await browser.close();
console.log(JSON.stringify({ viewport: '1920x1080', date: new Date().toISOString(), results }, null, 2));
