// The explorer's layout at the sizes it is used at: projector, laptop, desk, 4K, 200% zoom and a narrow window.
// At every size: no sideways scrolling, the four views inside the page with a real size and nothing cut;
// at 1280×720 no visible text under 12 CSS px; the same with the "why" and findings columns open.
import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { LayoutProbe } from './pages/LayoutProbe';

interface Size {
  name: string;
  width: number;
  height: number;
  /** The CSS pixel ratio: 2 for the 200% browser zoom. */
  scale?: number;
}

// 200% browser zoom: Chromium's page zoom halves the CSS viewport (a 1280×720 window at 200% lays out in
// 640×360 CSS px, media queries included) and doubles devicePixelRatio, while 1rem stays 16 CSS px. A
// 640×360 viewport with deviceScaleFactor 2 is exactly that layout, drawn into the same 1280×720 device pixels.
// (deviceScaleFactor alone would be a HiDPI screen, not zoom; CSS zoom on the root would not change the media
// queries; a larger root font size would be the browser's font setting, not its zoom.)
const SIZES: Size[] = [
  { name: '1024x768', width: 1024, height: 768 },
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '3840x2160', width: 3840, height: 2160 },
  { name: '1280x720-at-200pct', width: 640, height: 360, scale: 2 },
  { name: '800x900-narrow', width: 800, height: 900 },
];

const SIDES = ['none', 'why', 'findings'] as const;

async function openAt(page: Page, app: LayoutProbe): Promise<void> {
  await app.goto('?scenario=dio-write-zero-page');
  // A mid step: the bio in flight, every view has something to show.
  const chapters = await app.chapters();
  await app.seek(chapters[2]!.step - 1);
  // Let the step's transitions settle before measuring.
  await page.waitForTimeout(450);
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale ?? 1 });

    for (const side of SIDES) {
      test(`${side === 'none' ? 'the views' : `the views with the ${side} column open`}: no sideways scroll, nothing cut`, async ({ page }, info) => {
        const app = new LayoutProbe(page);
        await openAt(page, app);
        if (side === 'why') await app.openWhy();
        if (side === 'findings') await app.openFindings();
        await page.waitForTimeout(300);
        await app.shoot(info, `layout-${size.name}-${side}`);
        const overflow = await app.horizontalOverflow();
        expect(overflow.scrollWidth, 'the document scrolls sideways').toBeLessThanOrEqual(overflow.clientWidth);
        for (const name of ['Page tables', 'Memory', 'Refcount graph', 'Block I/O']) await expect(page.getByRole('region', { name, exact: true })).toBeVisible();
        expect(await app.clipping()).toEqual([]);
        if (size.name === '1280x720') expect(await app.smallText(12)).toEqual([]);
      });
    }
  });
}

test.describe('a narrow window stacks the panels', () => {
  test.use({ viewport: { width: 800, height: 900 } });
  test('at 800 px the four views are one column, each the full width', async ({ page }) => {
    const app = new LayoutProbe(page);
    await openAt(page, app);
    const boxes = await Promise.all(['Page tables', 'Memory', 'Refcount graph', 'Block I/O'].map((name) => page.getByRole('region', { name, exact: true }).boundingBox()));
    const lefts = new Set(boxes.map((b) => Math.round(b!.x)));
    expect(lefts.size).toBe(1);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height - 1);
    for (const b of boxes) expect(b!.width).toBeGreaterThan(700);
  });
});

test.describe('wide screens use the room', () => {
  for (const size of SIZES.filter((s) => s.width >= 1920)) {
    test.describe(`at ${size.name}`, () => {
      test.use({ viewport: { width: size.width, height: size.height } });
      test('the memory and graph pictures fill most of their panels', async ({ page }) => {
        const app = new LayoutProbe(page);
        await openAt(page, app);
        const fill = await app.fill();
        for (const name of ['Memory', 'Refcount graph'] as const) {
          expect(fill[name]!.width, `${name} width used`).toBeGreaterThan(0.85);
        }
        // The graph lays its nodes out down the panel's height, not in its top half.
        expect(fill['Refcount graph']!.height, 'Refcount graph height used').toBeGreaterThan(0.7);
        // The page tables use the height: a long walk scrolls inside the panel, a walk of a few rows spreads them
        // down it, every row in view.
        const walk = await app.pageTableWalk();
        expect(fill['Page tables']!.height, 'Page tables height used').toBeGreaterThan(0.8);
        if (!walk.overflows) expect(walk.rowsOutside, 'page-table rows out of view').toBe(0);
      });
    });
  }
});

test.describe('compare mode at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });
  test('the top bar stays on one line, every control inside the window', async ({ page }, info) => {
    const app = new LayoutProbe(page);
    await app.goto('?scenario=dio-write-zero-page');
    await page.getByLabel('Compare with kernel').selectOption('v6.5');
    await expect(page.getByRole('region', { name: 'Compare kernels' })).toBeVisible();
    await page.waitForTimeout(300);
    await app.shoot(info, 'layout-1280x720-compare');
    const bar = await page.evaluate(() => {
      const topbar = document.querySelector<HTMLElement>('.topbar')!;
      // Boxes that draw something (the spacer between the groups is empty).
      const kids = [...topbar.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
      const line = (r: DOMRect) => r.top + r.height / 2;
      const first = line(kids[0]!);
      return {
        height: topbar.getBoundingClientRect().height,
        offLine: kids.filter((r) => Math.abs(line(r) - first) > r.height / 2).length,
        right: Math.max(...kids.map((r) => r.right)),
        width: document.documentElement.clientWidth,
      };
    });
    expect(bar.offLine, 'top-bar controls on a second line').toBe(0);
    expect(bar.right).toBeLessThanOrEqual(bar.width);
    // Every control keeps its accessible name, however it is drawn.
    for (const name of ['Scenario', 'Kernel release', 'Compare with kernel']) await expect(page.getByRole('combobox', { name })).toBeVisible();
    for (const name of ['Keyboard shortcuts', 'Present']) await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  });
});

// Library scenarios open in compare mode. Its divergence strip holds a button per diverging statement in a list
// that scrolls sideways inside itself; nothing in it may widen the document (each button's hidden description
// once did: an absolutely placed box whose containing block lay outside the list's scroller).
const LIBRARY_IDS = readdirSync('scenarios/library')
  .filter((f) => f.endsWith('.scn'))
  .sort()
  .map((f) => `library/${f.replace(/^\d+-/, '').replace(/\.scn$/, '')}`);

async function openCompare(app: LayoutProbe, id: string): Promise<void> {
  await app.goto(`?scenario=${id}`);
  await expect(app.page.getByRole('region', { name: 'Compare kernels' })).toBeVisible();
  await expect(app.page.getByTestId('compare-headline')).toBeVisible();
  await app.page.waitForTimeout(300);
}

test.describe('compare mode: no sideways scroll', () => {
  for (const size of SIZES.filter((s) => ['1024x768', '1280x720', '1920x1080', '1280x720-at-200pct'].includes(s.name))) {
    test.describe(`at ${size.name}`, () => {
      test.use({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale ?? 1 });
      test('a library scenario with a long divergence list stays inside the window', async ({ page }, info) => {
        const app = new LayoutProbe(page);
        // The scenario with the longest divergence strip of the library.
        await openCompare(app, 'library/vfio-zero-page');
        await expect(page.locator('.compare-item').nth(4)).toBeAttached();
        await app.shoot(info, `layout-${size.name}-compare-library`);
        const overflow = await app.horizontalOverflow();
        expect(overflow.scrollWidth, 'the document scrolls sideways').toBeLessThanOrEqual(overflow.clientWidth);
        const panel = (await page.getByRole('region', { name: 'Compare kernels' }).boundingBox())!;
        expect(panel.x).toBeGreaterThanOrEqual(0);
        expect(panel.x + panel.width).toBeLessThanOrEqual(overflow.clientWidth + 0.5);
      });
    });
  }

  test.describe('every library scenario at 1280×720', () => {
    test.use({ viewport: { width: 1280, height: 720 } });
    test('none scrolls the document sideways', async ({ page }) => {
      test.setTimeout(120_000);
      const app = new LayoutProbe(page);
      const wide: string[] = [];
      for (const id of LIBRARY_IDS) {
        await openCompare(app, id);
        const overflow = await app.horizontalOverflow();
        if (overflow.scrollWidth > overflow.clientWidth) wide.push(`${id}: ${overflow.scrollWidth} > ${overflow.clientWidth}`);
      }
      expect(wide).toEqual([]);
    });
  });
});
