import { expect, test } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

test.describe('the explorer', () => {
  test('opens the default scenario where kernel code first runs in its first chapter, and runs it to the end', async ({ page }, info) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const chapters = await app.chapters();
    expect(chapters.length).toBeGreaterThanOrEqual(3);
    expect(await app.step()).toBeGreaterThan(chapters[0]!.step);
    expect((await app.snapshot())!.event!.chain.length).toBeGreaterThan(0);
    await expect(page.locator('[data-field="caption"]')).not.toContainText('no kernel code runs');
    await expect(page.locator('.brand')).toHaveText('pinscope');
    // In flight: the zero page carries one reference per occurrence (v6.4, FOLL_GET).
    await app.seek(chapters[2]!.step - 1);
    expect((await app.folio('zero')).refcount).toBe(5);
    await app.press('End');
    await app.expectStep(await app.lastStep());
    expect((await app.folio('zero')).refcount).toBe(1);
    await page.screenshot({ path: info.outputPath('default-end.png') });
  });

  test('steps with the keyboard: events, statements, chapters, start and end', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const start = await app.step();
    await app.press('ArrowRight');
    await app.expectStep(start + 1);
    await app.press('ArrowLeft');
    await app.expectStep(start);
    await app.press('Shift+ArrowRight');
    const afterStatement = await app.step();
    expect(afterStatement).toBeGreaterThan(start);
    await app.press('Shift+ArrowLeft');
    expect(await app.step()).toBeLessThan(afterStatement);
    const chapters = await app.chapters();
    await app.seek(0);
    await app.press('PageDown');
    await app.expectStep(chapters[0]!.step);
    await app.press('PageDown');
    await app.expectStep(chapters[1]!.step);
    await app.press('PageUp');
    await app.expectStep(chapters[0]!.step);
    await app.press('End');
    await app.expectStep(await app.lastStep());
    await app.press('Home');
    await app.expectStep(0);
  });

  test('shows the shortcut list on ?', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await app.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Next chapter');
    await app.page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('an error in the editor shows at its line and column and keeps the last good run', async ({ page }, info) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const before = await app.lastStep();
    const text = await app.editor.inputValue();
    await app.replaceScenario(text.replace('read buf', 'read buf\npin buf 0 4K longtrem'));
    await expect(app.editorErrors).toContainText('longtrem');
    await expect(app.editorErrors).toContainText('did you mean "longterm"');
    const errors = await app.errors();
    expect(errors[0]!.line).toBe(14);
    expect(errors[0]!.col).toBe(14);
    expect(await app.lastStep()).toBe(before);
    await page.screenshot({ path: info.outputPath('editor-error.png') });
    // Fixing the typo runs the new scenario.
    await app.replaceScenario(text.replace('read buf', 'read buf\npin buf 0 4K longterm'));
    await expect(app.editorErrors).toBeHidden();
    await expect.poll(() => app.lastStep()).not.toBe(before);
  });

  test('the link reopens the same scenario, kernel and step', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto('?scenario=vfio-zero-page');
    await app.seek(20);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('t=20');
    const url = page.url();
    const text = await app.editor.inputValue();
    await page.goto('about:blank');
    await page.goto(url);
    await app.waitReady();
    expect(await app.step()).toBe(20);
    expect(await app.editor.inputValue()).toBe(text);
  });

  test('a damaged link opens the default scenario with a message, and injects nothing', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto('#v=1&s=<img src=x onerror=alert(1)>');
    await expect(app.notice).toContainText('could not be opened');
    expect(await page.locator('img').count()).toBe(0);
    expect(await app.lastStep()).toBeGreaterThan(0);
  });
});
