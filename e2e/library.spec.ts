import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';
import type { PinscopeTestApi } from '../src/view/testApi';

// Every library scenario, opened from its link, runs in the browser on both of its kernels with every
// expectation holding, and opens inside its first chapter (at the first step where kernel code runs; the
// exact rule is openingStep's, unit-tested in src/store/opening.test.ts).
const files = readdirSync('scenarios/library').filter((f) => f.endsWith('.scn')).sort();

for (const file of files) {
  const id = `library/${file.replace(/^\d+-/, '').replace(/\.scn$/, '')}`;
  const pair = /^# compare: (\S+) (\S+)/m.exec(readFileSync(`scenarios/library/${file}`, 'utf8'))!;
  test(`library scenario ${file} holds in the browser on ${pair[1]} and ${pair[2]}`, async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto(`?scenario=${id}`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.kernels().compare)).toBe(pair[2]!.replace(/\+/g, ' '));
    const state = await page.evaluate(() => {
      const api = (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope;
      return { kernels: api.kernels(), main: api.expectations(), compare: api.compareExpectations(), step: api.step(), first: api.chapters()[0]?.step };
    });
    expect(state.kernels.main).toBe(pair[1]!.replace(/\+/g, ' '));
    expect(state.step).toBeGreaterThanOrEqual(state.first ?? 0);
    expect(state.step).toBeGreaterThan(0);
    expect(state.main.length).toBeGreaterThan(0);
    expect(state.main.filter((e) => !e.ok)).toEqual([]);
    expect(state.compare.filter((e) => !e.ok)).toEqual([]);
  });
}
