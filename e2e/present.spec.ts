// Presentation mode driven as a speaker drives it: a clicker's keys, the blanking, F5 that must not reload.
import { expect, test } from '@playwright/test';
import { PresentPage } from './pages/PresentPage';

const BUILTINS = ['dio-write-zero-page', 'legacy-subblock-zeroing', 'vfio-zero-page', 'dio-read-fresh-memory'];

test('the clicker keys step by statement and chapter, blank, and F5 never reloads', async ({ page }) => {
  const app = new PresentPage(page);
  await app.goto('?scenario=dio-write-zero-page');
  await page.evaluate(() => ((window as unknown as { __marker: string }).__marker = 'still-here'));
  await app.enterButton.click();
  await app.expectPresenting(true);
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Scenario text' })).toBeHidden();
  for (const view of ['.pt-body', '.memory-body', '.graph-body', '.bio-body']) await expect(page.locator(view).first()).toBeVisible();

  await app.seek(0);
  // PageDown: one statement; the step is its last event (the next event is another statement execution).
  await app.click('PageDown');
  const first = await app.step();
  expect(first).toBeGreaterThan(0);
  expect(await app.stmtAt(first + 1)).not.toBe(await app.stmtAt(first));
  await expect(app.caption).toHaveText((await page.evaluate((s) => (window as unknown as { __pinscope: { eventAt(s: number): { text: string } } }).__pinscope.eventAt(s).text, first)));

  await app.click('Space');
  const second = await app.step();
  expect(second).toBeGreaterThan(first);
  expect(await app.stmtAt(second)).not.toBe(await app.stmtAt(first));
  expect(await app.stmtAt(second + 1)).not.toBe(await app.stmtAt(second));

  await app.click('PageUp');
  await app.expectStep(first);

  // Shift+PageDown: the next chapter start.
  const chapters = await app.chapters();
  await app.click('Shift+PageDown');
  await app.expectStep(chapters.find((c) => c.step > first)!.step);
  await expect(app.chapter).toHaveText(chapters.find((c) => c.step > first)!.title);

  // B and `.` blank the screen (black, over everything) and back.
  await app.click('b');
  await expect(app.blank).toBeVisible();
  const color = await page.evaluate(() => {
    const r = document.querySelector('.present-blank')!.getBoundingClientRect();
    return { bg: getComputedStyle(document.querySelector('.present-blank')!).backgroundColor, w: r.width, h: r.height, top: document.elementFromPoint(r.width / 2, r.height / 2)?.className };
  });
  expect(color).toEqual({ bg: 'rgb(0, 0, 0)', w: 1600, h: 900, top: 'present-blank' });
  await app.click('b');
  await expect(app.blank).toBeHidden();
  await app.click('.');
  await expect(app.blank).toBeVisible();
  await app.click('.');
  await expect(app.blank).toBeHidden();

  // F5 toggles presentation and does not reload the page; Shift+F5 too.
  const before = await app.step();
  await app.click('F5');
  await app.expectPresenting(false);
  await app.click('Shift+F5');
  await app.expectPresenting(true);
  expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('still-here');
  await app.expectStep(before);

  // Escape leaves; the desk's keys are the desk's again (→ is one event).
  await app.click('Escape');
  await app.expectPresenting(false);
  await expect(page.locator('.topbar')).toBeVisible();
  await app.click('ArrowRight');
  await app.expectStep(before + 1);
  expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('still-here');
});

test('a key pressed during an animation finishes it and is not lost', async ({ page }) => {
  const app = new PresentPage(page);
  await app.goto('?scenario=dio-write-zero-page&mode=present');
  await app.expectPresenting(true);
  await app.seek(0);
  const expected: number[] = [];
  let step = 0;
  // Five stops, pressed faster than the 300 ms transition.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('PageDown');
    step = await app.step();
    expected.push(step);
  }
  expect(new Set(expected).size).toBe(5);
  for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
  await app.expectStep(expected[0]!);
});

test('?mode=present links open in presentation mode on every built-in scenario', async ({ page }) => {
  const app = new PresentPage(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const id of BUILTINS) {
    await app.goto(`?scenario=${id}&mode=present`);
    await app.expectPresenting(true);
    // Full screen needs a user gesture: refused on load, the layout is still the presentation's, with a button.
    await expect(page.getByRole('button', { name: 'full screen' })).toBeVisible();
    await expect(app.caption).not.toBeEmpty();
    await page.screenshot({ path: (`test-results/present-shots/present-1024-${id}.png`) });
  }
});

test('at 1024×768 in presentation mode no visible text is under 16 CSS px', async ({ page }) => {
  const app = new PresentPage(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  for (const id of BUILTINS) {
    await app.goto(`?scenario=${id}&mode=present`);
    await app.expectPresenting(true);
    const last = await app.lastStep();
    for (const step of [Math.floor(last / 3), Math.floor((2 * last) / 3), last]) {
      await app.seek(step);
      await page.waitForTimeout(400);
      expect(await app.smallText(16), `${id} at step ${step}`).toEqual([]);
    }
  }
});

test('screenshots at 1920×1080 and blanked', async ({ page }) => {
  const app = new PresentPage(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  for (const id of BUILTINS) {
    await app.goto(`?scenario=${id}&mode=present`);
    await app.expectPresenting(true);
    await app.seek(Math.floor((await app.lastStep()) / 2));
    await page.waitForTimeout(400);
    await page.screenshot({ path: (`test-results/present-shots/present-1920-${id}.png`) });
  }
  await app.click('b');
  await expect(app.blank).toBeVisible();
  await page.screenshot({ path: 'test-results/present-shots/present-blanked.png' });
});

test('the projector theme never carries zero page, huge zero, pinned or leaked by colour alone', async ({ page }) => {
  const app = new PresentPage(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await app.goto('?scenario=vfio-zero-page&mode=present');
  await app.expectPresenting(true);
  // After the long-term pin and the leak: every state has a text label, the two zero folios also a hatching.
  await app.seek(await app.lastStep());
  const memory = page.locator('.memory-svg');
  await expect(memory.getByText('ZERO PAGE', { exact: true })).toBeVisible();
  await expect(memory.getByText('HUGE ZERO', { exact: true })).toBeVisible();
  await expect(memory.getByText('pinned', { exact: true }).first()).toBeVisible();
  await expect(page.locator('.graph-svg').getByText(/leaked/i).first()).toBeVisible();
  const hatched = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.memory-svg .mb-bg')).map((r) => getComputedStyle(r).fill.match(/mem-hatch-[a-z]+/)?.[0] ?? 'plain'),
  );
  expect(hatched).toContain('mem-hatch-zero');
  expect(hatched).toContain('mem-hatch-hugezero');
});
