// Time to the first picture in Chromium: from navigation start until the default scenario's run is shown and
// its refcount graph has drawn a folio. `npm run build && npx vite preview --port 4173 &` then
// `npm run -s bench:first-picture` (PINSCOPE_URL for another server; PINSCOPE_NO_WORKER=1 removes Worker from
// the page first, so the run takes the page-thread fallback). Prints one JSON object, in milliseconds.
import { chromium } from '@playwright/test';

const base = process.env.PINSCOPE_URL ?? 'http://127.0.0.1:4173/';
const withoutWorker = process.env.PINSCOPE_NO_WORKER === '1';
const LOADS = Number(process.env.PINSCOPE_LOADS ?? 9);

const browser = await chromium.launch({
  executablePath: process.env.PINSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const samples: number[] = [];
for (let i = 0; i < LOADS + 1; i++) {
  // A fresh context each time: nothing cached between loads but what the HTTP cache of a new profile has.
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript('globalThis.__name = (f) => f;');
  if (withoutWorker) await page.addInitScript(() => Reflect.deleteProperty(window, 'Worker'));
  await page.goto(base);
  const at = await page.waitForFunction(
    () => {
      const api = (window as unknown as { __pinscope?: { lastStep(): number } }).__pinscope;
      return (api?.lastStep() ?? 0) > 0 && document.querySelector('[data-folio]') !== null ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const ms = (await at.jsonValue()) as number;
  if (i > 0) samples.push(ms); // the first load warms the server and the browser up
  await context.close();
}
await browser.close();
const sorted = [...samples].sort((a, b) => a - b);
const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
console.log(JSON.stringify({ url: base, workerRemoved: withoutWorker, loads: samples.length, medianMs: q(0.5), minMs: q(0), maxMs: q(1), samplesMs: samples.map(Math.round) }, null, 2));
