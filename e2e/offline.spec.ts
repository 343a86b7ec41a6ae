// The served site's service worker (public/sw.js): after the first visit the explorer reloads with the network
// off; when a newer build is deployed (another sw.js), the page says so without interrupting, and "reload"
// moves it onto the new build. Automation normally never registers the worker; these tests ask for it.
import { expect, test, type Page } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

test.use({ serviceWorkers: 'allow' });

async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => window.localStorage.setItem('pinscope-sw', 'on'));
});

test('after the first visit the explorer opens with the network off', async ({ page, context }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  await controlled(page);
  const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('pinscope-')));
  expect(cached).toHaveLength(1);
  await context.setOffline(true);
  await page.reload();
  await app.waitReady();
  expect(await app.lastStep()).toBeGreaterThan(10);
  await expect(page.getByRole('region', { name: 'Memory' }).or(page.locator('section.panel[aria-label="Memory"]')).first()).toBeVisible();
  // A link opened offline works too: the page is the cached one whatever its query.
  await page.goto('/?offline=1');
  await app.waitReady();
  await context.setOffline(false);
});

test('the served worker is stamped with this build: its version and the files index.html loads', async ({ request }) => {
  const sw = await (await request.get('/sw.js')).text();
  const html = await (await request.get('/')).text();
  expect(sw).not.toContain('__PINSCOPE_');
  expect(sw).toMatch(/const VERSION = '[0-9a-f]{12}'/);
  const entry = /<script[^>]*src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)![1]!;
  expect(sw).toContain(`"./${entry}"`);
  expect(sw).toContain('sim.worker-');
});

test('a newer build deployed meanwhile is announced, and reload moves onto it', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  await controlled(page);
  // Deploy "another build": to the browser a new build is a new worker script for the site's scope. (A route
  // cannot stand in for the server here: the browser's update check of a service worker bypasses it.)
  await page.evaluate(async () => {
    await navigator.serviceWorker.register(new URL('sw.js?deploy=next', document.baseURI), { scope: './' });
  });
  const notice = page.getByRole('status').filter({ hasText: 'A newer pinscope is available' });
  await expect(notice).toBeVisible({ timeout: 20_000 });
  // Non-modal: the explorer still steps, and the focus did not move to the notice.
  await page.evaluate(() => window.__pinscope!.seek(5));
  expect(await app.step()).toBe(5);
  expect(await page.evaluate(() => document.activeElement?.closest('.newer-version') ?? null)).toBeNull();
  await page.screenshot({ path: test.info().outputPath('newer-version.png') });
  await Promise.all([page.waitForEvent('load'), notice.getByRole('button', { name: 'reload' }).click()]);
  await app.waitReady();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toContain('deploy=next');
  await expect(notice).toHaveCount(0);
});
