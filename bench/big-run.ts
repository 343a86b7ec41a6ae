// A big buffer written once (`mmap buf SIZE`, `write buf`: one anonymous folio per page), loaded into the
// explorer in Chromium: the time until the run's first picture is painted, then until a jump to the last step
// and one to the middle are painted, and the document's element count after each (the page-table view drew one
// row per PTE before it folded runs of alike rows).
//   npm run build && npx vite preview --port 4173 &   then   npx tsx bench/big-run.ts
// PINSCOPE_BIG_SIZES picks the sizes (comma-separated, default 64M,256M); PINSCOPE_BIG_TIMEOUT_S bounds each
// wait (default 120); PINSCOPE_SHOTS=dir saves a screenshot of each painted step. Prints one JSON object.
import { chromium, type Page } from '@playwright/test';

const base = process.env.PINSCOPE_URL ?? 'http://127.0.0.1:4173/';
const SIZES = (process.env.PINSCOPE_BIG_SIZES ?? '64M,256M').split(',').map((s) => s.trim()).filter(Boolean);
const TIMEOUT_MS = Number(process.env.PINSCOPE_BIG_TIMEOUT_S ?? 120) * 1000;
const SHOTS = process.env.PINSCOPE_SHOTS;

export function bigWriteScenario(size: string): string {
  return `title bench: a ${size} buffer written once\nkernel v6.12\nmmap buf ${size}\nwrite buf\n`;
}

type Api = { seek(n: number): void; lastStep(): number; step(): number; load(text: string): Promise<void>; errors(): { message: string }[] };

/** Runs `action` in the page (a load or a seek), then waits for the frame after it to be painted. */
async function untilPainted(page: Page, action: 'load' | 'seek', arg: string | number): Promise<{ ms: number | null; timedOut: boolean }> {
  return page.evaluate(
    async ([action, arg, timeout]) => {
      const api = (window as unknown as { __pinscope: Api }).__pinscope;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      // A message posted from an animation-frame callback is handled once that frame has been painted.
      const afterPaint = () =>
        new Promise<number>((r) => {
          const channel = new MessageChannel();
          channel.port1.addEventListener('message', () => r(performance.now()), { once: true });
          channel.port1.start();
          channel.port2.postMessage(0);
        });
      await frame();
      await new Promise((r) => setTimeout(r, 0));
      const started = performance.now();
      const work = (async () => {
        if (action === 'load') await api.load(arg as string);
        else api.seek(arg as number);
        await Promise.resolve();
        await frame();
        return afterPaint();
      })();
      const done = await Promise.race([work, new Promise<null>((r) => setTimeout(() => r(null), timeout))]);
      return done === null ? { ms: null, timedOut: true } : { ms: Number((done - started).toFixed(1)), timedOut: false };
    },
    [action, arg, TIMEOUT_MS] as const,
  );
}

const counts = (page: Page) =>
  page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    pageTables: document.querySelector('.pt-panel')?.getElementsByTagName('*').length ?? 0,
    folds: document.querySelectorAll('.pt-fold').length,
  }));

const browser = await chromium.launch({
  executablePath: process.env.PINSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const results: Record<string, unknown>[] = [];
for (const size of SIZES) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto(base);
  await page.waitForFunction(() => ((window as unknown as { __pinscope?: Api }).__pinscope?.lastStep() ?? 0) > 0);
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/big-${size}-${name}.png` });
  };
  const first = await untilPainted(page, 'load', bigWriteScenario(size));
  const errors = await page.evaluate(() => (window as unknown as { __pinscope: Api }).__pinscope.errors().map((e) => e.message));
  const lastStep = await page.evaluate(() => (window as unknown as { __pinscope: Api }).__pinscope.lastStep());
  const shownStep = await page.evaluate(() => (window as unknown as { __pinscope: Api }).__pinscope.step());
  const result: Record<string, unknown> = { size, firstPictureMs: first.ms, firstPictureTimedOut: first.timedOut, errors, lastStep, shownStep, atFirstPicture: first.timedOut ? null : await counts(page) };
  if (!first.timedOut && errors.length === 0) {
    await shot('first');
    const last = await untilPainted(page, 'seek', lastStep);
    result.jumpToLastMs = last.ms;
    result.jumpToLastTimedOut = last.timedOut;
    if (!last.timedOut) {
      result.atLastStep = await counts(page);
      await shot('last');
      const middle = await untilPainted(page, 'seek', Math.floor(lastStep / 2));
      result.jumpToMiddleMs = middle.ms;
      result.jumpToMiddleTimedOut = middle.timedOut;
      if (!middle.timedOut) result.atMiddle = await counts(page);
    }
  }
  results.push(result);
  await page.close();
}
await browser.close();
console.log(JSON.stringify({ url: base, date: new Date().toISOString(), results }, null, 2));
