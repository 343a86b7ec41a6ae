// Keyboard-only use: from page load, Tab alone reaches every top-bar control, the scenario editor, each view's
// first control and the timeline, never dropping focus to <body>; the step keys step the run whenever focus
// is not in a text field; closing a dialog or popover from the keyboard gives focus back to its opener.
import { expect, test, type Page } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

test.use({ viewport: { width: 1600, height: 900 } });

/** A readable, unique-enough description of the focused element ("BODY" when focus is nowhere). */
function focused(page: Page): Promise<{ id: string; body: boolean; textField: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: 'BODY', body: true, textField: false };
    const tag = el.tagName.toLowerCase();
    const textField = tag === 'textarea' || (tag === 'input' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type)) || el.isContentEditable;
    return { id: el.getAttribute('data-kb-id') ?? '', body: false, textField };
  });
}

test('Tab alone reaches the top bar, the editor, every view and the timeline; focus never falls to <body>', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  // Tag the elements Tab must reach: every top-bar control, the editor, the first control of each view, the
  // timeline's step slider.
  const targets = await page.evaluate(() => {
    const sel = 'button:not([disabled]), select, input, textarea, [tabindex]:not([tabindex="-1"]), a[href]';
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const out: string[] = [];
    const tag = (el: Element | null | undefined, id: string) => {
      if (!el) return;
      el.setAttribute('data-kb-id', id);
      out.push(id);
    };
    document.querySelectorAll('header.topbar').forEach((bar) => [...bar.querySelectorAll(sel)].filter(visible).forEach((el, i) => tag(el, `topbar ${i}: ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 20)}`)));
    tag(document.querySelector('textarea[aria-label="Scenario text"]'), 'editor');
    for (const name of ['Page tables', 'Memory', 'Refcount graph', 'Block I/O']) {
      const region = document.querySelector(`section.panel[aria-label="${name}"]`);
      const first = region ? [...region.querySelectorAll(sel)].find(visible) : undefined;
      if (first) tag(first, `view ${name}`);
    }
    tag(document.querySelector('[role="slider"][aria-label="Step"]'), 'timeline');
    return out;
  });
  expect(targets).toEqual(expect.arrayContaining(['editor', 'view Page tables', 'view Memory', 'view Refcount graph', 'timeline']));
  expect(targets.filter((t) => t.startsWith('topbar')).length).toBeGreaterThan(5);

  const reached = new Set<string>();
  for (let i = 0; i < 300 && reached.size < targets.length; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f.body, `focus fell to <body> after ${i + 1} Tab presses`).toBe(false);
    // The editor keeps Tab for itself only if it says so; leaving it by Tab must work.
    if (f.id) reached.add(f.id);
  }
  expect(targets.filter((t) => !reached.has(t))).toEqual([]);
});

test('the step keys step the run from any control that is not a text field, and not from the editor', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  const start = await app.step();
  // A folio card in the memory view (a button): → steps, Space does not start playback but presses the card.
  await page.locator('section.panel[aria-label="Memory"] [role="button"]').first().focus();
  await page.keyboard.press('ArrowRight');
  await app.expectStep(start + 1);
  // The timeline's slider: → is its own (one step too).
  await page.getByRole('slider', { name: 'Step' }).focus();
  await page.keyboard.press('ArrowRight');
  await app.expectStep(start + 2);
  // A top-bar button.
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).focus();
  await page.keyboard.press('ArrowLeft');
  await app.expectStep(start + 1);
  // A page-table row.
  await page.locator('section.panel[aria-label="Page tables"] .pt-row [role="button"]').first().focus();
  await page.keyboard.press('ArrowRight');
  await app.expectStep(start + 2);
  // In the editor, → moves the caret: the run stays.
  await app.editor.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageDown');
  await page.waitForTimeout(200);
  await app.expectStep(start + 2);
});

test('closing the help dialog and the toggles popover from the keyboard gives focus back, not to <body>', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  // The help dialog, opened from its button by Enter, closed by Escape.
  const help = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await help.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await expect(help).toBeFocused();
  // Opened by `?` with focus on a folio card, closed by its Close button (Enter): back on the card.
  const card = page.locator('section.panel[aria-label="Memory"] [role="button"]').first();
  await card.focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await expect(card).toBeFocused();
  // The kernel toggles popover: opened by Enter on its button, closed by Escape.
  const toggles = page.getByRole('button', { name: 'toggles', exact: true });
  await toggles.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Kernel behaviour toggles' })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Kernel behaviour toggles' })).toBeHidden();
  await expect(toggles).toBeFocused();
  expect((await focused(page)).body).toBe(false);
});

test('after a choice in the scenario or kernel dropdown, focus stays on it and the step keys step the run', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto();
  const scenario = page.getByRole('combobox', { name: 'Scenario' });
  const kernel = page.getByRole('combobox', { name: 'Kernel release' });
  // Chosen from the keyboard (↓ on the focused dropdown picks the next scenario, as Chromium does).
  await scenario.focus();
  const before = await scenario.inputValue();
  await page.keyboard.press('ArrowDown');
  await expect(scenario).not.toHaveValue(before);
  const chosen = await scenario.inputValue();
  await app.waitReady();
  await expect(scenario).toBeFocused();
  expect((await focused(page)).body).toBe(false);
  // → PageDown End Home step the run; the dropdown keeps its value and the focus.
  const start = await app.step();
  await page.keyboard.press('ArrowRight');
  await app.expectStep(start + 1);
  const chapters = (await app.chapters()).map((c) => c.step).filter((s) => s > start + 1);
  await page.keyboard.press('PageDown');
  if (chapters.length > 0) await app.expectStep(chapters[0]!);
  await page.keyboard.press('End');
  await app.expectStep(await app.lastStep());
  await page.keyboard.press('Home');
  await app.expectStep(0);
  await expect(scenario).toHaveValue(chosen);
  await expect(scenario).toBeFocused();
  // Chosen from its list (focused by the pointer's press): the kernel dropdown keeps the focus too, and → is a
  // step, not the next release.
  await kernel.focus();
  await kernel.selectOption('v6.5');
  await app.waitReady();
  await expect(kernel).toBeFocused();
  const at = await app.step();
  await page.keyboard.press('ArrowRight');
  await app.expectStep(at + 1);
  await expect(kernel).toHaveValue('v6.5');
  await expect(kernel).toBeFocused();
});
