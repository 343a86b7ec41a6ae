// Frame times in Chromium while the explorer plays (the real player at 8 and 32 events per second), steps on
// every frame (a stress test), scrubs and jumps through the built-in scenarios, at the desk (1920×1080); and
// in presentation mode at 1024×768 (a projector), a clicker's PageDown through every stop of each built-in.
//   npm run build && npx vite preview --port 4173 &   then   npm run -s bench:frames
// Prints one JSON object: per scenario and activity, frame interval percentiles (ms) from requestAnimationFrame,
// and `dropped`: intervals over 25 ms (a missed 60 Hz frame). Presentation stepping adds `stops` (PageDowns
// to the end) and `pressToPaint`: from each keydown until the frame after it has painted (a message posted
// from that frame's animation callback), which includes the wait for the next frame.
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
await page.close();

// Presentation mode: PageDown as a clicker sends it, at a speaker's pace (each stop's 300 ms transition plays
// out) and pressed faster than the transitions (each press finishes the running one at once).
interface PresentStats extends Stats {
  stops: number;
  pressToPaint: { p50: number; p95: number; max: number };
}
const present = await browser.newPage({ viewport: { width: 1024, height: 768 } });
await present.addInitScript('globalThis.__name = (f) => f;');
// Registered before the app's own: presentation mode's key handler stops the key's other listeners.
await present.addInitScript("addEventListener('keydown', (e) => globalThis.__benchKey?.(e), true);");
const presentation: Record<string, Record<string, PresentStats>> = {};
for (const id of scenarios) {
  await present.goto(`${base}?scenario=${id}&mode=present`);
  await present.waitForFunction(() => ((window as unknown as { __pinscope?: { lastStep(): number } }).__pinscope?.lastStep() ?? 0) > 0);
  await present.waitForSelector('.app.presenting');
  const stepping = async (paceMs: number): Promise<PresentStats> => {
    // From the start, with the focus on the page (where a clicker's keys go).
    await present.evaluate(() => {
      (window as unknown as { __pinscope: { seek(n: number): void } }).__pinscope.seek(0);
      (document.activeElement as HTMLElement | null)?.blur();
    });
    await present.waitForTimeout(400);
    // The recorder: every frame's interval, and for each keydown the time until the frame after it has painted.
    await present.evaluate(() => {
      const w = window as unknown as { __bench: { intervals: number[]; presses: number[]; running: boolean } };
      const rec = { intervals: [] as number[], presses: [] as number[], running: true };
      w.__bench = rec;
      let last = performance.now();
      const frame = (now: number) => {
        rec.intervals.push(now - last);
        last = now;
        if (rec.running) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const channel = new MessageChannel();
      const pending: number[] = [];
      channel.port1.addEventListener('message', () => rec.presses.push(performance.now() - pending.shift()!));
      channel.port1.start();
      (window as unknown as { __benchKey: (e: KeyboardEvent) => void }).__benchKey = (e) => {
        if (!rec.running || e.key !== 'PageDown') return;
        pending.push(performance.now());
        requestAnimationFrame(() => channel.port2.postMessage(0));
      };
    });
    const lastStep = await present.evaluate(() => (window as unknown as { __pinscope: { lastStep(): number } }).__pinscope.lastStep());
    const step = () => present.evaluate(() => (window as unknown as { __pinscope: { step(): number } }).__pinscope.step());
    let stops = 0;
    for (let before = await step(); before < lastStep && stops < 1000; stops++) {
      await present.keyboard.press('PageDown');
      await present.waitForTimeout(paceMs);
      const now = await step();
      if (now === before) break;
      before = now;
    }
    const rec = await present.evaluate(() => {
      const b = (window as unknown as { __bench: { intervals: number[]; presses: number[]; running: boolean } }).__bench;
      b.running = false;
      return { intervals: b.intervals.slice(2), presses: b.presses };
    });
    const presses = stats(rec.presses);
    return { ...stats(rec.intervals), stops, pressToPaint: { p50: presses.p50, p95: presses.p95, max: presses.max } };
  };
  presentation[id] = {
    clicker400ms: await stepping(400),
    clicker80ms: await stepping(80),
  };
}
await browser.close();
console.log(JSON.stringify({ viewport: '1920x1080', date: new Date().toISOString(), results, presentation: { viewport: '1024x768', results: presentation } }, null, 2));
