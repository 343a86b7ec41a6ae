// The single-file copy (`npm run build:single` first): dist-single/pinscope.html opened from file:// with every
// network request refused runs the library scenarios, and asks for nothing but itself.
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
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
