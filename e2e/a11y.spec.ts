// Accessibility: axe-core, injected into the page, reports no violations on the explorer (a mid step, and with
// the help overlay open), in presentation mode and in compare mode (a library scenario opens compared).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

// Each state in the light theme and in the dark one (prefers-color-scheme); presentation mode draws the
// projector theme over either.
for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe-core finds no violations (${colorScheme} theme)`, () => {
    // The app's Content-Security-Policy (script-src 'self') rightly refuses the injected inline axe script; the
    // test browser bypasses CSP so axe can run. Nothing else in the page depends on this.
    test.use({ bypassCSP: true, colorScheme });

    test('the explorer at a mid step', async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto();
      await app.seek(Math.floor((await app.lastStep()) / 2));
      await page.waitForTimeout(400);
      expect(await violations(page)).toEqual([]);
    });

    test('the explorer with the help overlay open', async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto();
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await expect(page.locator('.overlay')).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test('presentation mode', async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto('?scenario=dio-write-zero-page&mode=present');
      await page.waitForTimeout(400);
      expect(await violations(page)).toEqual([]);
    });

    test('compare mode (a library scenario)', async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto('?scenario=library/dio-write-zero-page');
      await expect(page.getByRole('region', { name: 'Compare kernels' })).toBeVisible();
      await page.waitForTimeout(400);
      expect(await violations(page)).toEqual([]);
    });
  });
}

test.describe('the help overlay is a modal dialog', () => {
  test('focus moves in, Tab and Shift+Tab stay inside, Escape closes and returns focus to the opener', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const opener = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await inDialog(), `focus after Tab ${i + 1}`).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await inDialog(), 'focus after Shift+Tab').toBe(true);
    // A click on the scrim around the card does not take focus out of the dialog either.
    await page.mouse.click(5, 300);
    expect(await inDialog(), 'focus after a click on the scrim').toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();
  });
});
