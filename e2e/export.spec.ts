// Export: the SVG of the default scenario at a chosen step is self-contained and holds the counts shown at
// that step; the PNG is twice the picture's size, carries the link in a tEXt chunk, and dropped back on the
// page reopens the same step; the Export menu works from the keyboard.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';
import { LINK_KEYWORD, pngSize, readTextChunk } from '../src/view/export/png';

async function exportFile(page: Page, picture: string, button: string): Promise<{ name: string; bytes: Buffer }> {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const menu = page.getByRole('dialog', { name: 'Export' });
  await menu.getByLabel('Picture to export').selectOption(picture);
  const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: button, exact: true }).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** Drop a file on the page, as a user dragging it from the file manager would. */
async function dropFile(page: Page, name: string, type: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ([n, t, b64]) => {
      const bin = atob(b64!);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], n!, { type: t! }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [name, type, bytes.toString('base64')],
  );
}

interface SvgFacts {
  noVar: boolean;
  parses: boolean;
  width: number;
  height: number;
  title: string;
  desc: string;
  link: string;
  headings: string[];
  /** The texts of the Memory view's box whose name is "zero page". */
  zeroBox: string[];
  patternIds: string[];
  brokenRefs: string[];
  classes: number;
}

function svgFacts(page: Page, text: string): Promise<SvgFacts> {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const root = doc.documentElement;
    // Within the Memory column (the column whose heading is MEMORY): the zero page's box.
    const column = [...root.querySelectorAll(':scope > g > g')].find((g) => g.querySelector(':scope > text')?.textContent === 'MEMORY');
    const texts = column ? [...column.getElementsByTagName('text')] : [];
    // The box's name is drawn uppercase (CSS text-transform, written into the text by the export).
    const name = texts.find((x) => x.textContent === 'ZERO PAGE' && x.parentElement?.getElementsByTagName('rect').length);
    const ids = new Set([...doc.querySelectorAll('[id]')].map((e) => e.id));
    const refs = [...doc.querySelectorAll('*')].flatMap((e) => [...e.attributes].flatMap((a) => [...a.value.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]!)));
    const link = [...doc.getElementsByTagName('*')].find((e) => e.namespaceURI === 'urn:pinscope:export:1' && e.localName === 'link');
    return {
      noVar: !t.includes('var('),
      parses: doc.getElementsByTagName('parsererror').length === 0 && root.localName === 'svg',
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      title: root.querySelector(':scope > title')?.textContent ?? '',
      desc: root.querySelector(':scope > desc')?.textContent ?? '',
      link: link?.textContent ?? '',
      headings: [...root.querySelectorAll(':scope > g > g > text:first-child')].map((x) => x.textContent ?? ''),
      zeroBox: name ? [...name.parentElement!.getElementsByTagName('text')].map((x) => x.textContent ?? '') : [],
      patternIds: [...doc.getElementsByTagName('pattern')].map((p) => p.id),
      brokenRefs: refs.filter((r) => !ids.has(r)),
      classes: doc.querySelectorAll('[class], [style]').length,
    };
  }, text);
}

test.describe('export', () => {
  test('SVG of the whole picture and of one view: self-contained, with the counts shown at that step', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const chapters = await app.chapters();
    const step = chapters[2]!.step - 1;
    await app.seek(step);
    // In flight: the zero page carries one reference per occurrence (v6.4, FOLL_GET).
    const zero = await app.folio('zero');
    expect(zero.refcount).toBe(5);
    await expect(page.locator(`.memory-svg [data-folio="${zero.id}"][data-field="refcount"]`)).toHaveText(String(zero.refcount));

    const whole = await exportFile(page, 'all', 'SVG');
    expect(whole.name).toMatch(new RegExp(`-step-${step}\\.svg$`));
    const text = whole.bytes.toString('utf8');
    const facts = await svgFacts(page, text);
    expect(facts.parses).toBe(true);
    expect(facts.noVar).toBe(true);
    expect(facts.classes).toBe(0);
    expect(facts.headings).toEqual(['PAGE TABLES', 'MEMORY', 'REFCOUNT GRAPH', 'BLOCK I/O']);
    expect(facts.title).toContain('pinscope');
    expect(facts.desc).toMatch(new RegExp(`kernel v6\\.4.*, step ${step} of ${await app.lastStep()}`));
    expect(facts.link).toMatch(/#v=2&/);
    expect(facts.link).toContain(`t=${step}`);
    // The zero page's box holds its name and the refcount on screen at this step.
    expect(facts.zeroBox).toContain('ZERO PAGE');
    expect(facts.zeroBox).toContain(String(zero.refcount));
    // The hatching of each view stays its own: unique ids, every url(#…) resolves.
    expect(facts.patternIds.length).toBeGreaterThanOrEqual(4);
    expect(new Set(facts.patternIds).size).toBe(facts.patternIds.length);
    expect(facts.brokenRefs).toEqual([]);
    // As an <img> (no stylesheet, no script), it draws at its own size.
    const drawn = await page.evaluate(async (t) => {
      const img = new Image();
      img.src = URL.createObjectURL(new Blob([t], { type: 'image/svg+xml' }));
      await img.decode();
      return { w: img.naturalWidth, h: img.naturalHeight };
    }, text);
    expect(drawn).toEqual({ w: facts.width, h: facts.height });

    const memory = await exportFile(page, 'memory', 'SVG');
    expect(memory.name).toMatch(new RegExp(`-memory-step-${step}\\.svg$`));
    const one = await svgFacts(page, memory.bytes.toString('utf8'));
    expect(one.noVar).toBe(true);
    expect(one.headings).toEqual(['MEMORY']);
    expect(one.zeroBox).toContain(String(zero.refcount));
    expect(one.width).toBeLessThan(facts.width);
  });

  test('PNG at 2× carries the link; dropped back on the page it reopens the same step', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const chapters = await app.chapters();
    const step = chapters[2]!.step - 1;
    await app.seek(step);
    const svg = await svgFacts(page, (await exportFile(page, 'all', 'SVG')).bytes.toString('utf8'));
    const png = await exportFile(page, 'all', 'PNG 2×');
    expect(png.name).toMatch(new RegExp(`-step-${step}@2x\\.png$`));
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toContainText(png.name);
    // Decoded by the browser, it is twice the picture's size.
    const decoded = await page.evaluate(async (b64) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      // A pixel from the middle of the picture: drawn, not blank.
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length && colours.size < 50; i += 4 * 997) colours.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
      return { width: bitmap.width, height: bitmap.height, colours: colours.size };
    }, png.bytes.toString('base64'));
    expect(decoded.width).toBe(svg.width * 2);
    expect(decoded.height).toBe(svg.height * 2);
    expect(decoded.colours).toBeGreaterThan(5);
    const bytes = new Uint8Array(png.bytes);
    expect(pngSize(bytes)).toEqual({ width: svg.width * 2, height: svg.height * 2 });
    const link = readTextChunk(bytes, LINK_KEYWORD);
    expect(link).toBe(svg.link);

    // Somewhere else, then the PNG dropped back: the same step and counts.
    await app.press('End');
    await app.expectStep(await app.lastStep());
    await dropFile(page, png.name, 'image/png', png.bytes);
    await app.expectStep(step);
    expect((await app.folio('zero')).refcount).toBe(5);
    await expect(app.notice).toHaveCount(0);

    // 1× is half of that.
    const small = await exportFile(page, 'all', 'PNG 1×');
    expect(pngSize(new Uint8Array(small.bytes))).toEqual({ width: svg.width, height: svg.height });
  });

  test('a PNG without a pinscope link is refused with a message and changes nothing', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const step = await app.step();
    const plain = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(4, 4);
      canvas.getContext('2d')!.fillRect(0, 0, 2, 2);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      return btoa(String.fromCharCode(...new Uint8Array(await blob.arrayBuffer())));
    });
    await dropFile(page, 'screenshot.png', 'image/png', Buffer.from(plain, 'base64'));
    await expect(app.notice).toContainText('"screenshot.png" is a PNG without a pinscope link');
    expect(await app.step()).toBe(step);
  });

  test('Copy image puts a PNG on the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const app = new ExplorerPage(page);
    await app.goto();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Copy image' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Image copied' })).toBeVisible();
    const types = await page.evaluate(async () => (await navigator.clipboard.read()).flatMap((i) => [...i.types]));
    expect(types).toContain('image/png');
  });

  test('the Export menu opens from the keyboard, closes with Escape and gives focus back', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const button = page.getByRole('button', { name: 'Export', exact: true });
    await button.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('dialog', { name: 'Export' });
    await expect(menu).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(menu.getByLabel('Picture to export')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(menu.getByRole('button', { name: 'SVG', exact: true })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    // A press outside closes it too.
    await button.click();
    await expect(menu).toBeVisible();
    await page.locator('.brand').click();
    await expect(menu).toBeHidden();
  });

  test.describe('with axe', () => {
    // The app's Content-Security-Policy refuses the injected inline axe script; the test browser bypasses it.
    test.use({ bypassCSP: true });
    test('the open Export menu has no axe violations', async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto();
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await expect(page.getByRole('dialog', { name: 'Export' })).toBeVisible();
      await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document.querySelector('.topbar')!, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations).toEqual([]);
    });
  });
});
