// Jumps in the 100,000-event bench scenario (bench/scenarios.ts), in Chromium: from `seek(step)` to a random
// step until that step is painted, and single steps forward the same way. Also the element count of the
// document after the jumps (what every later style recalculation walks).
//   npm run build && npx vite preview --port 4173 &   then   npm run -s bench:jump
// PINSCOPE_JUMPS sets the number of random jumps (default 40). Prints one JSON object, in milliseconds.
import { chromium } from '@playwright/test';
import { busyScenario } from './scenarios';

const base = process.env.PINSCOPE_URL ?? 'http://127.0.0.1:4173/';
const JUMPS = Number(process.env.PINSCOPE_JUMPS ?? 40);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1));
  return { n: sorted.length, median: q(0.5), p95: q(0.95), max: q(1) };
}

const browser = await chromium.launch({
  executablePath: process.env.PINSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
await page.addInitScript('globalThis.__name = (f) => f;');
await page.goto(base);
await page.waitForFunction(() => ((window as unknown as { __pinscope?: { lastStep(): number } }).__pinscope?.lastStep() ?? 0) > 0);
const text = busyScenario(2222);
const loadStarted = Date.now();
await page.evaluate((t) => (window as unknown as { __pinscope: { load(text: string): Promise<void> } }).__pinscope.load(t), text);
const loadMs = Date.now() - loadStarted;

const result = await page.evaluate(
  async ([jumps]) => {
    type Api = { seek(n: number): void; lastStep(): number; step(): number };
    const api = (window as unknown as { __pinscope: Api }).__pinscope;
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
    // A fixed seed: the same steps on every run of the benchmark.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    // After the frame that follows the seek has painted: a message posted from its animation-frame callback
    // is handled once that frame's style, layout and paint are done.
    const afterPaint = () =>
      new Promise<number>((r) => {
        const channel = new MessageChannel();
        channel.port1.addEventListener('message', () => r(performance.now()), { once: true });
        channel.port1.start();
        channel.port2.postMessage(0);
      });
    const work: { render: number; paint: number; total: number }[] = [];
    const painted = async (step: number) => {
      await frame();
      // Seek between frames, as a click does.
      await new Promise((r) => setTimeout(r, 0));
      const started = performance.now();
      api.seek(step);
      // React renders the store change in a microtask queued by the seek, before this one.
      await Promise.resolve();
      const rendered = performance.now();
      const frameStart = await frame();
      const done = await afterPaint();
      const paint = done - Math.max(frameStart, rendered);
      work.push({ render: rendered - started, paint, total: rendered - started + paint });
      return done - started;
    };
    const n = api.lastStep();
    await painted(Math.floor(n / 2)); // warm up
    const jumpMs: number[] = [];
    for (let i = 0; i < jumps; i++) jumpMs.push(await painted(Math.floor(random() * (n + 1))));
    const stepMs: number[] = [];
    const from = Math.floor(n / 3);
    await painted(from);
    for (let i = 1; i <= 20; i++) stepMs.push(await painted(from + i));
    const jumpWork = work.slice(1, 1 + jumps);
    const stepWork = work.slice(2 + jumps);
    return { lastStep: n, jumpMs, stepMs, jumpWork, stepWork, elements: document.getElementsByTagName('*').length };
  },
  [JUMPS] as const,
);
await browser.close();
// `untilPainted` includes the wait for the next frame (up to one 60 Hz interval even when nothing is slow);
// `work` is the main thread's share: the seek and React's render, then the frame's style, layout and paint.
console.log(
  JSON.stringify(
    { url: base, date: new Date().toISOString(), events: result.lastStep, loadMs, elements: result.elements, jumpUntilPaintedMs: stats(result.jumpMs),
      jumpWorkMs: { total: stats(result.jumpWork.map((w) => w.total)), render: stats(result.jumpWork.map((w) => w.render)), paint: stats(result.jumpWork.map((w) => w.paint)) },
      stepUntilPaintedMs: stats(result.stepMs),
      stepWorkMs: stats(result.stepWork.map((w) => w.total)),
    },
    null,
    2,
  ),
);
