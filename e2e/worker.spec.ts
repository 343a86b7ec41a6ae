// Issue 10 item 2: the simulation runs in a Web Worker. While a slow scenario simulates the page keeps
// painting and answering, a progress bar with Cancel shows, Cancel keeps the previous picture, a newer load
// replaces a run in flight, and where no worker can be had the explorer still works on the page's thread.
import { expect, test, type Page } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';
import type { PinscopeTestApi } from '../src/view/testApi';

/**
 * Simulates until the 5-second time budget stops it, on any machine: the leak check scans every folio (16,384
 * of them) and is cheap in work units, and two unnamed pins on alternate lines make every iteration new state,
 * so nothing is fast-forwarded (100,000 iterations stay inside the work budget, so the run is not refused early).
 */
const SLOW = `title slow: a leak check over many pages, again and again
kernel v6.12
mmap buf 64M
write buf
repeat 100000
  pin buf 0 4K
  pin buf 0 4K
  expect leaks == 0
end
`;

const NORMAL = `title normal
mark Start
mmap buf 16K
read buf
pin buf 0 16K
`;

type Api = { __pinscope: PinscopeTestApi };

/** NORMAL opened as every scenario opens: at its first chapter's first kernel event (step 1 is the mark). */
async function expectNormalOpened(app: ExplorerPage): Promise<void> {
  await expect(app.editor).toHaveValue(NORMAL);
  expect(await app.lastStep()).toBeGreaterThan(3);
  expect(await app.step()).toBe(2);
  expect(await app.page.evaluate(() => (window as unknown as Api).__pinscope.eventAt(2)?.line)).toBe(3);
}

/** Start loading `text` without waiting for it. */
async function startLoad(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    void (window as unknown as Api).__pinscope.load(t);
  }, text);
}

/** Animation frames over `ms`: how many, and the longest gap between two (a blocked thread shows as a gap). */
function frames(page: Page, ms: number): Promise<{ count: number; longestGap: number }> {
  return page.evaluate(
    (duration) =>
      new Promise<{ count: number; longestGap: number }>((resolve) => {
        const start = performance.now();
        let last = start;
        let count = 0;
        let longestGap = 0;
        const tick = (now: number) => {
          longestGap = Math.max(longestGap, now - last);
          last = now;
          count++;
          if (now - start < duration) requestAnimationFrame(tick);
          else resolve({ count, longestGap });
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** How long a click on a button takes to reach its handler (the page's thread must be free to take it). */
function clickLatency(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const button = document.createElement('button');
        button.textContent = 'probe';
        document.body.appendChild(button);
        const asked = performance.now();
        button.addEventListener('click', () => {
          button.remove();
          resolve(performance.now() - asked);
        });
        // Dispatched as a task, like a real click: it waits behind whatever holds the thread.
        setTimeout(() => button.click(), 0);
      }),
  );
}

test.describe('the simulation worker', () => {
  test('a slow scenario leaves the page responsive, shows progress, and Cancel keeps the previous picture', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    expect(page.workers().length).toBeGreaterThanOrEqual(1);
    const before = { step: await app.step(), lastStep: await app.lastStep(), text: await app.editor.inputValue() };
    await startLoad(page, SLOW);
    const bar = page.getByTestId('run-progress');
    await expect(bar).toBeVisible();
    await expect(bar.getByRole('button', { name: 'Cancel' })).toBeVisible();
    // On the page's thread the run would hold it for its whole 5 seconds; with the worker, frames keep coming (a
    // machine busy with other tests may still drop a few, hence the generous bound on the longest gap).
    const ticking = await frames(page, 1000);
    expect(ticking.count).toBeGreaterThan(10);
    expect(ticking.longestGap).toBeLessThan(1000);
    const latencies = [await clickLatency(page), await clickLatency(page), await clickLatency(page)].sort((a, b) => a - b);
    expect(latencies[1]).toBeLessThan(100);
    // Still running (it takes seconds), and it says how far it has got.
    await expect(bar).toBeVisible();
    await expect(bar).toContainText(/events so far/);
    const workersBefore = page.workers();
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await expect(bar).toBeHidden();
    await expect(app.notice).toContainText('The run was cancelled');
    expect({ step: await app.step(), lastStep: await app.lastStep(), text: await app.editor.inputValue() }).toEqual(before);
    // The stopped worker is gone and a fresh one took its place.
    await expect.poll(() => page.workers().some((w) => workersBefore.includes(w))).toBe(false);
    await expect.poll(() => page.workers().length).toBeGreaterThanOrEqual(1);
    // ...and it runs the next scenario, which opens at its first step.
    await page.evaluate((t) => (window as unknown as Api).__pinscope.load(t), NORMAL);
    await expectNormalOpened(app);
  });

  test('a newer load replaces a slow run in flight', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await startLoad(page, SLOW);
    await expect(page.getByTestId('run-progress')).toBeVisible();
    await page.evaluate((t) => (window as unknown as Api).__pinscope.load(t), NORMAL);
    await expect(page.getByTestId('run-progress')).toBeHidden();
    await expectNormalOpened(app);
    await expect(app.notice).toHaveCount(0);
  });

  test('a quick run shows no progress bar', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await page.evaluate(() => {
      const w = window as unknown as { __barSeen?: boolean };
      w.__barSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="run-progress"]')) w.__barSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.evaluate((t) => (window as unknown as Api).__pinscope.load(t), NORMAL);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __barSeen?: boolean }).__barSeen)).toBe(false);
  });

  for (const [name, breakWorker] of [
    ['the page has no Worker', () => Reflect.deleteProperty(window, 'Worker')],
    [
      'the worker script cannot load',
      () => {
        const Real = window.Worker;
        // As a Content-Security-Policy refusal or a missing file would: constructed, then an error event.
        window.Worker = class extends Real {
          constructor(_url: string | URL, options?: WorkerOptions) {
            super('./no-such-worker.js', options);
          }
        } as typeof Worker;
      },
    ],
  ] as const) {
    test(`when ${name}, scenarios run on the page's thread`, async ({ page }) => {
      await page.addInitScript(breakWorker);
      const app = new ExplorerPage(page);
      await app.goto();
      expect(await app.lastStep()).toBeGreaterThan(0);
      await page.evaluate((t) => (window as unknown as Api).__pinscope.load(t), NORMAL);
      await expectNormalOpened(app);
      expect(page.workers()).toEqual([]);
    });
  }
});
