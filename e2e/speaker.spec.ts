// The speaker view: a second window opened from presentation mode (or the desk) that follows the audience
// window stop by stop, takes the clicker keys too, and leaves the presentation working when closed.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { PresentPage } from './pages/PresentPage';
import { SpeakerPage } from './pages/SpeakerPage';

async function openSpeaker(context: BrowserContext, audience: Page): Promise<SpeakerPage> {
  const [popup] = await Promise.all([context.waitForEvent('page'), audience.getByRole('button', { name: 'Speaker view' }).click()]);
  const speaker = new SpeakerPage(popup);
  await speaker.ready();
  return speaker;
}

test('the speaker view follows the audience window and drives it; closing it leaves the presentation working', async ({ context, page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const app = new PresentPage(page);
  await app.goto('?scenario=dio-write-zero-page&mode=present');
  await app.expectPresenting(true);
  await app.seek(0);
  const speaker = await openSpeaker(context, page);
  speaker.page.on('pageerror', (e) => errors.push(`speaker: ${e.message}`));
  await expect(speaker.page).toHaveURL(/[?&]mode=speaker(&|$)/);
  await speaker.expectStep(0);
  await expect(speaker.stop).toHaveText(/^start · \d+ stops$/);
  const count = Number((await speaker.stop.textContent())!.match(/(\d+) stops/)![1]);

  // A key in the audience window: the speaker view follows.
  await app.click('PageDown');
  const s1 = await app.step();
  expect(s1).toBeGreaterThan(0);
  await speaker.expectStep(s1);
  await expect(speaker.stop).toHaveText(`stop 1 of ${count}`);
  const predicted = await speaker.nextStep();
  expect(predicted).toBeGreaterThan(s1);

  // A key in the speaker window: the audience window moves, to the stop the "next" picture showed.
  await speaker.click('PageDown');
  await app.expectStep(predicted!);
  await speaker.expectStep(predicted!);
  await expect(speaker.stop).toHaveText(`stop 2 of ${count}`);
  const next2 = await speaker.nextStep();
  expect(next2).not.toBe(predicted);
  expect(next2).toBeGreaterThan(predicted!);

  await speaker.click('Space');
  await app.expectStep(next2!);
  await expect(speaker.stop).toHaveText(`stop 3 of ${count}`);
  await app.click('PageUp');
  await app.expectStep(predicted!);
  await speaker.expectStep(predicted!);
  await speaker.click('ArrowLeft');
  await app.expectStep(s1);
  await speaker.expectStep(s1);
  await speaker.click('n');
  await app.expectStep(predicted!);

  // Chapters from the speaker window: End is the next chapter; the title follows in both windows.
  const chapters = await app.chapters();
  const direct = chapters.find((c) => c.title.startsWith('O_DIRECT write'))!;
  while ((await app.step()) < direct.step) await speaker.click('End');
  await app.expectStep(direct.step);
  await speaker.expectStep(direct.step);
  await expect(speaker.chapter).toHaveText(direct.title);
  await expect(app.chapter).toHaveText(direct.title);

  // The dio statement: its notes, its caption and its kernel call chain are on the speaker's screen.
  await speaker.click('PageDown');
  const dio = await app.step();
  await speaker.expectStep(dio);
  await expect(speaker.notes).toContainText('GUP-fast gives up on special PTEs');
  await expect(speaker.caption).toHaveText(await app.caption.innerText());
  const chain = await page.evaluate(() => (window as unknown as { __pinscope: { snapshot(): { event?: { chain: string[] } } | null } }).__pinscope.snapshot()?.event?.chain ?? []);
  expect(chain.length).toBeGreaterThan(0);
  await expect(speaker.chain).toHaveText(chain);
  // `show graph` is in effect here: the current picture is the graph alone, as on the audience screen.
  await expect(speaker.now).toHaveAttribute('data-views', 'graph');
  await expect(speaker.now.locator('.graph-svg')).toBeVisible();

  // Blanking from the speaker window blanks the audience screen, and the speaker sees it.
  await speaker.click('b');
  await expect(app.blank).toBeVisible();
  await expect(speaker.page.locator('.speaker-blanked')).toBeVisible();
  await speaker.click('.');
  await expect(app.blank).toBeHidden();
  await expect(speaker.page.locator('.speaker-blanked')).toBeHidden();

  // F5 in the speaker window does not reload it.
  await speaker.page.evaluate(() => ((window as unknown as { __marker: string }).__marker = 'speaker-here'));
  await speaker.click('F5');
  await app.expectPresenting(false);
  await speaker.click('F5');
  await app.expectPresenting(true);
  expect(await speaker.page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('speaker-here');

  // The timer runs, pauses (and stays paused), resets.
  const t0 = await speaker.time.textContent();
  await expect.poll(() => speaker.time.textContent(), { timeout: 4000 }).not.toBe(t0);
  await speaker.page.getByRole('button', { name: 'pause' }).click();
  await expect(speaker.timer).toHaveAttribute('data-running', 'no');
  const paused = await speaker.time.textContent();
  await page.waitForTimeout(1300);
  await expect(speaker.time).toHaveText(paused!);
  await speaker.page.getByRole('button', { name: 'reset' }).click();
  await expect(speaker.time).toHaveText('00:00');
  await speaker.page.getByRole('button', { name: 'resume' }).click();
  await expect(speaker.timer).toHaveAttribute('data-running', 'yes');
  await expect(speaker.time).not.toHaveText('00:00', { timeout: 4000 });

  // Closing the speaker window: the presentation goes on with its own keys.
  await speaker.page.close();
  await expect(page.getByRole('button', { name: 'Speaker view' })).toHaveAttribute('data-open', 'no');
  const before = await app.step();
  await app.click('PageDown');
  await expect.poll(() => app.step()).toBeGreaterThan(before);
  await app.click('b');
  await expect(app.blank).toBeVisible();
  await app.click('b');
  await app.expectPresenting(true);
  expect(errors).toEqual([]);
});

test('without BroadcastChannel (as on file:// pages) the two windows keep in step through window.opener', async ({ context, page }) => {
  await context.addInitScript(() => {
    // The channel never connects: only postMessage between the opener and the window it opened is left.
    Object.defineProperty(window, 'BroadcastChannel', { value: undefined, configurable: true });
  });
  const app = new PresentPage(page);
  await app.goto('?scenario=vfio-zero-page&mode=present');
  await app.expectPresenting(true);
  expect(await page.evaluate(() => typeof BroadcastChannel)).toBe('undefined');
  const speaker = await openSpeaker(context, page);
  expect(await speaker.page.evaluate(() => typeof BroadcastChannel)).toBe('undefined');
  await speaker.expectStep(await app.step());
  const next = await speaker.nextStep();
  await speaker.click('PageDown');
  await app.expectStep(next!);
  await speaker.expectStep(next!);
  await app.click('PageDown');
  const after = await app.step();
  expect(after).toBeGreaterThan(next!);
  await speaker.expectStep(after);
});

test('opened from the desk, the speaker view follows event by event stepping', async ({ context, page }) => {
  const app = new PresentPage(page);
  await app.goto('?scenario=legacy-subblock-zeroing');
  await app.expectPresenting(false);
  const speaker = await openSpeaker(context, page);
  await speaker.expectStep(await app.step());
  await app.press('ArrowRight');
  const one = await app.step();
  await speaker.expectStep(one);
  // A clicker key in the speaker window moves the desk by a whole statement.
  await speaker.click('PageDown');
  await expect.poll(() => app.step()).toBeGreaterThan(one);
  await speaker.expectStep(await app.step());
  await app.expectPresenting(false);
});

test('after a show graph step presentation mode shows only the graph, and large', async ({ page }) => {
  const app = new PresentPage(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.goto('?scenario=dio-write-zero-page&mode=present');
  await app.expectPresenting(true);
  const panels = ['.pt-panel', '.memory-panel', '.graph-panel', '.bio-panel'];
  const chapters = await app.chapters();
  const direct = chapters.find((c) => c.title.startsWith('O_DIRECT write'))!;
  // Before it: the four views, two by two.
  await app.seek(direct.step - 1);
  expect(await page.evaluate(() => (window as unknown as { __pinscope: { views(): string[] } }).__pinscope.views())).toEqual(['pagetables', 'memory', 'graph', 'blockio']);
  for (const p of panels) await expect(page.locator(p)).toBeVisible();
  const small = (await page.locator('.graph-panel').boundingBox())!;
  const smallSvg = (await page.locator('.graph-panel .graph-svg').boundingBox())!;
  // From the chapter on (show graph is the line before its mark): the graph alone fills the picture.
  await app.seek(direct.step);
  expect(await page.evaluate(() => (window as unknown as { __pinscope: { views(): string[] } }).__pinscope.views())).toEqual(['graph']);
  for (const p of ['.pt-panel', '.memory-panel', '.bio-panel']) await expect(page.locator(p)).toBeHidden();
  await expect(page.locator('.graph-panel')).toBeVisible();
  await page.waitForTimeout(400);
  const big = (await page.locator('.graph-panel').boundingBox())!;
  const bigSvg = (await page.locator('.graph-panel .graph-svg').boundingBox())!;
  expect(big.width).toBeGreaterThan(0.9 * 1280);
  expect(big.height).toBeGreaterThan(1.8 * small.height);
  expect(bigSvg.width).toBeGreaterThan(1.8 * smallSvg.width);
  expect(bigSvg.width).toBeGreaterThan(0.8 * 1280);
  await page.screenshot({ path: 'test-results/speaker-shots/present-show-graph-1280.png' });
  // `show all` before the last chapter brings the four back; at the desk the four are always there.
  const last = chapters[chapters.length - 1]!;
  await app.seek(last.step);
  for (const p of panels) await expect(page.locator(p)).toBeVisible();
  await app.seek(direct.step);
  await app.click('Escape');
  await app.expectPresenting(false);
  for (const p of panels) await expect(page.locator(p)).toBeVisible();
  await expect(page.locator('.views')).toHaveAttribute('data-show', 'graph');
});

test('screenshots of the speaker view at 1280×720', async ({ context, page }) => {
  const app = new PresentPage(page);
  await app.goto('?scenario=dio-write-zero-page&mode=present');
  await app.expectPresenting(true);
  await app.seek(0);
  const speaker = await openSpeaker(context, page);
  await speaker.page.setViewportSize({ width: 1280, height: 720 });
  const shots: [string, () => Promise<void>][] = [
    ['start', async () => undefined],
    ['read', async () => {
      await app.click('Shift+PageDown');
      await app.click('PageDown');
    }],
    ['dio-graph', async () => {
      await app.click('Shift+PageDown');
      await app.click('PageDown');
    }],
    ['complete', async () => {
      await app.click('Shift+PageDown');
      await app.click('PageDown');
    }],
  ];
  for (const [name, go] of shots) {
    await go();
    await speaker.expectStep(await app.step());
    await speaker.page.waitForTimeout(450);
    // One screen: nothing scrolls sideways or down.
    const overflow = await speaker.page.evaluate(() => ({ x: document.documentElement.scrollWidth - window.innerWidth, y: document.documentElement.scrollHeight - window.innerHeight }));
    expect(overflow, name).toEqual({ x: 0, y: 0 });
    await speaker.page.screenshot({ path: `test-results/speaker-shots/speaker-1280-${name}.png` });
  }
});


for (const channel of ['BroadcastChannel', 'window.opener alone'] as const) {
test(`the single-file build from file:// (${channel}): the speaker view opens from its button and both windows stay in step`, async ({ context, page }) => {
  if (channel !== 'BroadcastChannel') {
    // As in browsers where file:// pages are each their own origin: the channel never connects.
    await context.addInitScript(() => Object.defineProperty(window, 'BroadcastChannel', { value: undefined, configurable: true }));
  }
  const file = resolve('dist-single/pinscope.html');
  expect(existsSync(file), 'run `npm run build:single` before this test').toBe(true);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${pathToFileURL(file).href}?scenario=dio-write-zero-page&mode=present`);
  const app = new PresentPage(page);
  await app.waitReady();
  await app.expectPresenting(true);
  expect(await page.evaluate(() => window.location.protocol)).toBe('file:');
  await app.seek(0);
  const speaker = await openSpeaker(context, page);
  speaker.page.on('pageerror', (e) => errors.push(`speaker: ${e.message}`));
  expect(speaker.page.url()).toMatch(/^file:\/\/.*[?&]mode=speaker(&|$)/);
  await speaker.expectStep(0);
  // Clicker keys in the audience window: the speaker view follows.
  await app.click('PageDown');
  const s1 = await app.step();
  expect(s1).toBeGreaterThan(0);
  await speaker.expectStep(s1);
  const predicted = await speaker.nextStep();
  expect(predicted).toBeGreaterThan(s1);
  // In the speaker window: the audience window moves to the stop its "next" picture showed, and back.
  await speaker.click('PageDown');
  await app.expectStep(predicted!);
  await speaker.expectStep(predicted!);
  await speaker.click('ArrowLeft');
  await app.expectStep(s1);
  await speaker.expectStep(s1);
  await app.click('Space');
  await app.expectStep(predicted!);
  await speaker.expectStep(predicted!);
  // Blanking from either window.
  await speaker.click('b');
  await expect(app.blank).toBeVisible();
  await app.click('b');
  await expect(app.blank).toBeHidden();
  await expect(speaker.page.locator('.speaker-blanked')).toBeHidden();
  expect(errors).toEqual([]);
});
}
