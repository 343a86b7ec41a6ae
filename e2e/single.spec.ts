// The single-file copy (`npm run build:single` first): dist-single/pinscope.html opened from file:// with every
// network request refused runs the library scenarios, and asks for nothing but itself.
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const file = resolve('dist-single/pinscope.html');

test('runs library scenarios from file:// with the network blocked', async ({ page, context }) => {
  expect(existsSync(file), 'run `npm run build:single` before this test').toBe(true);
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return url.startsWith('file://') ? route.continue() : route.abort();
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });

  const library = readdirSync('scenarios/library').map((f) => `library/${f.replace(/^\d+-/, '').replace(/\.scn$/, '')}`);
  for (const id of [library[0]!, library[6]!, library.at(-1)!]) {
    await page.goto(`${pathToFileURL(file).href}?scenario=${id}`);
    await page.waitForFunction(() => (window.__pinscope?.lastStep() ?? 0) > 0);
    const title = await page.evaluate(() => window.__pinscope!.snapshot() !== null);
    expect(title).toBe(true);
    await expect(page.locator('.panel').first()).toBeVisible();
    // Every `expect` line of a library scenario holds on its own kernel.
    const failed = await page.evaluate(() => window.__pinscope!.expectations().filter((e) => !e.ok));
    expect({ id, failed }).toEqual({ id, failed: [] });
    await page.evaluate(() => window.__pinscope!.seek(window.__pinscope!.lastStep()));
    await expect.poll(() => page.evaluate(() => window.__pinscope!.step())).toBeGreaterThan(0);
  }
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  expect(new Set(requests.map((u) => u.split('?')[0]))).toEqual(new Set([pathToFileURL(file).href]));
  expect(problems).toEqual([]);
});

/** Open a saved HTML file from file:// with the network blocked; returns what it shows. */
async function openOffline(page: import('@playwright/test').Page, path: string) {
  await page.context().setOffline(true);
  const requests: string[] = [];
  await page.context().route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url().startsWith('file://') ? route.continue() : route.abort();
  });
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction(() => (window.__pinscope?.lastStep() ?? 0) > 0);
  await expect.poll(() => page.evaluate(() => window.__pinscope!.step())).toBeGreaterThan(0);
  const shown = await page.evaluate(() => ({ step: window.__pinscope!.step(), kernels: window.__pinscope!.kernels(), title: document.querySelector('.scenario-picker select, select')?.textContent ?? '' }));
  return { ...shown, requests: requests.filter((u) => !u.startsWith('file://')) };
}

async function saveCopy(page: import('@playwright/test').Page, dir: string): Promise<string> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save a copy with this scenario' }).click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

test('"Save a copy with this scenario" from the served explorer opens offline on the same scenario, kernel and step', async ({ page, browser }) => {
  await page.goto('/');
  await page.waitForFunction(() => (window.__pinscope?.lastStep() ?? 0) > 0);
  await page.evaluate(() => window.__pinscope!.load('title Pinned, saved offline\nmmap buf 16K\nread buf\npin buf 0 16K\n', 'v6.1'));
  expect(await page.evaluate(() => window.__pinscope!.errors())).toEqual([]);
  await page.evaluate(() => window.__pinscope!.seek(3));
  const saved = await saveCopy(page, test.info().outputPath());
  expect(readFileSync(saved, 'utf8')).toContain('name="pinscope-open"');
  const offline = await browser.newPage();
  const shown = await openOffline(offline, saved);
  expect({ step: shown.step, main: shown.kernels.main }).toEqual({ step: 3, main: 'v6.1' });
  await expect(offline.getByRole('textbox', { name: 'Scenario text' })).toContainText('Pinned, saved offline');
  expect(shown.requests).toEqual([]);

  // A copy saved from that copy carries its own moment, not the one it was opened with.
  await offline.evaluate(() => window.__pinscope!.seek(5));
  const again = await saveCopy(offline, test.info().outputPath('again'));
  const html = readFileSync(again, 'utf8');
  expect(html.match(/name="pinscope-open"/g)).toHaveLength(1);
  const third = await browser.newPage();
  const shownAgain = await openOffline(third, again);
  expect(shownAgain.step).toBe(5);
  await third.screenshot({ path: test.info().outputPath('copy-of-copy.png') });
});
