// Embed mode in a host page (public/embed-example.html): it keeps the host's focus and scroll, answers
// hello with ready, follows goto with state, passes keys to the host in keys=host mode, and a page of another
// origin cannot make it load a scenario without the reader's click.
import { expect, test, type Page } from '@playwright/test';

interface Message {
  type: string;
  step?: number;
  steps?: number;
  key?: string;
  kernel?: string;
}

const messages = (page: Page) => page.evaluate(() => (window as unknown as { pinscopeMessages: Message[] }).pinscopeMessages);
const send = (page: Page, message: object) => page.evaluate((m) => (window as unknown as { pinscopeSend: (m: object) => void }).pinscopeSend(m), message);
const embedStep = (page: Page) => page.frameLocator('#embed').locator('body').evaluate(() => window.__pinscope!.step());

test('the host keeps its focus and scroll; hello/ready and goto/state round-trip', async ({ page }) => {
  await page.goto('/embed-example.html');
  await expect.poll(async () => (await messages(page)).filter((m) => m.type === 'ready').length).toBeGreaterThan(0);
  const ready = (await messages(page)).find((m) => m.type === 'ready')!;
  expect(ready.steps).toBeGreaterThan(50);
  expect(ready.kernel).toBe('v6.4');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('notes');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  const readies = (await messages(page)).filter((m) => m.type === 'ready').length;
  await send(page, { type: 'hello' });
  await expect.poll(async () => (await messages(page)).filter((m) => m.type === 'ready').length).toBe(readies + 1);

  await send(page, { type: 'goto', step: 30 });
  await expect.poll(async () => (await messages(page)).at(-1)).toMatchObject({ type: 'state', step: 30, steps: ready.steps, kernel: 'v6.4' });
  await send(page, { type: 'next' });
  await expect.poll(async () => (await messages(page)).at(-1)).toMatchObject({ type: 'state', step: 31 });
  expect(await embedStep(page)).toBe(31);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('notes');
});

test('malformed and unknown messages are ignored with a warning', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.goto('/embed-example.html');
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  await send(page, { type: 'goto', step: 12 });
  await expect.poll(() => embedStep(page)).toBe(12);
  await send(page, { type: 'goto', step: -3 });
  await send(page, { type: 'eval', code: 'alert(1)' });
  await page.evaluate(() => (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage({ pinscope: 2, type: 'next' }, '*'));
  await expect.poll(() => warnings.length).toBe(3);
  expect(warnings.join('\n')).toMatch(/not a whole number[\s\S]*unknown type "eval"[\s\S]*"pinscope" is not 1/);
  expect(await embedStep(page)).toBe(12);
});

test('keys=host posts keys to the host instead of stepping', async ({ page }) => {
  await page.goto('/embed-example.html?keys=host');
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  await send(page, { type: 'goto', step: 20 });
  await expect.poll(() => embedStep(page)).toBe(20);
  await page.frameLocator('#embed').locator('.embed-step').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageDown');
  await expect.poll(async () => (await messages(page)).filter((m) => m.type === 'key').map((m) => m.key)).toEqual(['ArrowRight', 'PageDown']);
  expect(await embedStep(page)).toBe(20);
});

test('keys=own steps on its own keys after a click inside', async ({ page }) => {
  await page.goto('/embed-example.html');
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  await send(page, { type: 'goto', step: 20 });
  await expect.poll(() => embedStep(page)).toBe(20);
  await page.keyboard.press('ArrowRight'); // the host has the focus: not for the embed
  expect(await embedStep(page)).toBe(20);
  await page.frameLocator('#embed').locator('.embed-step').click();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => embedStep(page)).toBe(21);
});

test('start and end bound stepping; the open link carries the full state', async ({ page }) => {
  await page.goto('/?mode=embed&scenario=library/dio-write-zero-page&start=10&end=14&views=memory&caption=0');
  await page.waitForFunction(() => (window.__pinscope?.lastStep() ?? 0) > 0);
  await expect.poll(() => page.evaluate(() => window.__pinscope!.step())).toBe(10);
  await expect(page.locator('.embed-views .panel')).toHaveCount(1);
  await expect(page.locator('.embed-caption')).toHaveCount(0);
  for (let i = 0; i < 8; i++) await page.getByRole('button', { name: 'Next event' }).click();
  expect(await page.evaluate(() => window.__pinscope!.step())).toBe(14);
  await expect(page.locator('.embed-open')).toHaveAttribute('href', /#v=2&.*t=14&at=/);
  const href = await page.locator('.embed-open').getAttribute('href');
  await page.goto(href!);
  await page.waitForFunction(() => (window.__pinscope?.lastStep() ?? 0) > 0);
  await expect.poll(() => page.evaluate(() => window.__pinscope!.step())).toBe(14);
  await expect(page.getByRole('textbox', { name: 'Scenario text' })).toBeVisible();
});

test('a page of another origin cannot load a scenario without the reader click', async ({ page, baseURL }) => {
  const embed = `${baseURL}/?mode=embed&scenario=library/dio-write-zero-page&views=memory`;
  // The same server under another name is another origin: the host at localhost, the embed at 127.0.0.1.
  const host = baseURL!.replace('127.0.0.1', 'localhost');
  expect(new URL(host).origin).not.toBe(new URL(embed).origin);
  await page.goto(`${host}/embed-example.html?embed=${encodeURIComponent(embed)}`);
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  const before = (await messages(page)).find((m) => m.type === 'ready')!.steps;
  const sent = 'title Two reads\nmmap buf 8K\nread buf\nwrite buf\n';
  await send(page, { type: 'load', text: sent, kernel: 'v6.5' });
  const consent = page.frameLocator('#embed').getByRole('dialog', { name: 'Load a scenario from the host page' });
  await expect(consent).toContainText(new URL(host).origin);
  expect(await page.frameLocator('#embed').locator('body').evaluate(() => window.__pinscope!.lastStep())).toBe(before);
  await consent.getByRole('button', { name: 'Show it' }).click();
  await expect.poll(async () => (await messages(page)).filter((m) => m.type === 'ready').at(-1)?.kernel).toBe('v6.5');
  const after = await page.frameLocator('#embed').locator('body').evaluate(() => window.__pinscope!.lastStep());
  expect(after).not.toBe(before);
});

test('the host page own origin loads without asking', async ({ page }) => {
  await page.goto('/embed-example.html');
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  await send(page, { type: 'load', text: 'title Two reads\nmmap buf 8K\nread buf\nwrite buf\n', kernel: 'v6.5' });
  await expect.poll(async () => (await messages(page)).filter((m) => m.type === 'ready').at(-1)?.kernel).toBe('v6.5');
  await expect(page.frameLocator('#embed').getByRole('dialog')).toHaveCount(0);
});

test('export answers with the SVG text or a PNG blob of what the embed shows, to the origin that asked', async ({ page, baseURL }) => {
  const embed = `${baseURL}/?mode=embed&scenario=library/dio-write-zero-page&views=memory,graph`;
  // Asked from another origin (the host at localhost): the answer still comes back to it, and only to it.
  const host = baseURL!.replace('127.0.0.1', 'localhost');
  await page.goto(`${host}/embed-example.html?embed=${encodeURIComponent(embed)}`);
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready')).toBe(true);
  await send(page, { type: 'goto', step: 20 });
  await expect.poll(async () => (await messages(page)).at(-1)).toMatchObject({ type: 'state', step: 20 });
  const zeroRefcount = await page.frameLocator('#embed').locator('body').evaluate(() => window.__pinscope!.snapshot()!.folios.find((f) => f.kind === 'zero')!.refcount);

  await send(page, { type: 'export', format: 'svg' });
  const lastExport = () =>
    page.evaluate(async () => {
      const m = (window as unknown as { pinscopeMessages: { type: string; format?: string; view?: string; data?: unknown }[] }).pinscopeMessages.filter((x) => x.type === 'export').at(-1);
      if (!m) return null;
      const data = m.data instanceof Blob ? { blob: true, type: m.data.type, bytes: [...new Uint8Array(await m.data.arrayBuffer())] } : { blob: false, text: String(m.data) };
      return { format: m.format, view: m.view, ...data };
    });
  await expect.poll(lastExport, { timeout: 10_000 }).not.toBeNull();
  const svg = (await lastExport())!;
  expect(svg).toMatchObject({ format: 'svg', view: 'all', blob: false });
  const facts = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { parses: doc.getElementsByTagName('parsererror').length === 0, headings: [...doc.documentElement.querySelectorAll(':scope > g > g > text:first-child')].map((t) => t.textContent), desc: doc.querySelector('desc')?.textContent ?? '' };
  }, svg.text!);
  expect(facts.parses).toBe(true);
  expect(facts.headings).toEqual(['MEMORY', 'REFCOUNT GRAPH']);
  expect(facts.desc).toContain('step 20 of');
  expect(svg.text).toContain(`>${zeroRefcount}<`);

  await send(page, { type: 'export', format: 'png', view: 'memory', scale: 1 });
  await expect.poll(async () => (await lastExport())?.format, { timeout: 10_000 }).toBe('png');
  const png = (await lastExport())!;
  expect(png).toMatchObject({ view: 'memory', blob: true, type: 'image/png' });
  expect(png.bytes!.slice(0, 8)).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(Buffer.from(png.bytes!).toString('latin1')).toContain('pinscope-link');

  // A view the embed does not show is an error, not a picture of something else.
  await send(page, { type: 'export', format: 'svg', view: 'blockio' });
  await expect.poll(async () => (await messages(page)).at(-1)?.type).toBe('error');
});

test('poster=1 shows a light poster, starts nothing until the click, and keeps the host focus and scroll', async ({ page, baseURL }) => {
  const embed = `${baseURL}/?mode=embed&scenario=library/dio-write-zero-page&views=memory,graph&poster=1`;
  await page.goto(`/embed-example.html?embed=${encodeURIComponent(embed)}`);
  const frame = page.frameLocator('#embed');
  const poster = frame.getByTestId('embed-poster');
  await expect(poster).toContainText('O_DIRECT write');
  await expect(poster).toContainText(/kernel v6\.\d/);
  await page.waitForTimeout(500);
  // Nothing of the simulator: no worker script fetched, no run, no views, no ready.
  const before = await frame.locator('body').evaluate(() => ({
    worker: performance.getEntriesByType('resource').some((r) => r.name.includes('sim.worker')),
    steps: window.__pinscope?.lastStep() ?? 0,
    panels: document.querySelectorAll('section.panel').length,
  }));
  expect(before).toEqual({ worker: false, steps: 0, panels: 0 });
  expect((await messages(page)).some((m) => m.type === 'ready')).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('notes');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.screenshot({ path: test.info().outputPath('poster.png') });

  await poster.getByRole('button', { name: /Load/ }).click();
  await expect.poll(async () => (await messages(page)).some((m) => m.type === 'ready'), { timeout: 15_000 }).toBe(true);
  await expect(frame.locator('section.panel')).toHaveCount(2);
  await expect(poster).toHaveCount(0);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});
