// Presentation mode on a projector's small screens (1024×768, 1280×720): every view, in every built-in
// scenario, at the start, each chapter and the end, with the four views and with a `show` of one view, fits
// its panel unclipped (nothing scrolls or draws sideways past the panel, page-table headers never overlap, the
// texts of the block I/O, refcount graph and memory views never overlap one another),
// a refcount of the memory view is in view, and no text is under 16 CSS px. Screenshots at a mid step are
// kept to be looked at.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PresentPage } from './pages/PresentPage';

const DIR = join(process.cwd(), 'scenarios/builtin');
const BUILTINS = readdirSync(DIR)
  .filter((f) => f.endsWith('.scn'))
  .sort()
  .map((f) => ({ id: f.replace(/^\d+-/, '').replace(/\.scn$/, ''), text: readFileSync(join(DIR, f), 'utf8') }));
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
];
const VIEWS = ['pagetables', 'memory', 'graph', 'blockio'] as const;
/** The views whose texts must not overlap one another (the page tables are not there yet). */
const OVERLAP_CHECKED = ['Block I/O', 'Refcount graph', 'Memory'];

/** The scenario with its own `show` lines replaced by one `show VIEW` at the top: that view fills the picture. */
function showing(text: string, view: string): string {
  return `show ${view}\n${text.replace(/^\s*show\b.*$/gm, '')}`;
}

async function steps(app: PresentPage): Promise<number[]> {
  const last = await app.lastStep();
  const chapters = (await app.chapters()).map((c) => c.step);
  return [...new Set([0, ...chapters, Math.floor(last / 2), last])].sort((a, b) => a - b);
}

for (const size of SIZES) {
  test.describe(`presentation mode at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });
    for (const sc of BUILTINS) {
      test(`${sc.id}: every view fits unclipped, text ≥ 16 px, with four views and with each view alone`, async ({ page }) => {
        test.setTimeout(240_000);
        const app = new PresentPage(page);
        await app.goto(`?scenario=${sc.id}&mode=present`);
        await app.expectPresenting(true);
        const problems: string[] = [];
        const check = async (label: string) => {
          for (const step of await steps(app)) {
            await app.seek(step);
            // Past the 300 ms transition: the measured picture is the step's own.
            await page.waitForTimeout(350);
            for (const p of await app.fitProblems()) problems.push(`${label} step ${step}: ${p}`);
            for (const t of await app.smallText(16)) problems.push(`${label} step ${step}: "${t.text}" ${t.size} px`);
            for (const name of OVERLAP_CHECKED) for (const p of await app.textOverlaps(name)) problems.push(`${label} step ${step}: ${p}`);
            const hidden = await app.memoryNumberHidden();
            if (hidden) problems.push(`${label} step ${step}: ${hidden}`);
          }
        };
        await check('as written');
        await app.seek(Math.floor((await app.lastStep()) / 2));
        await page.waitForTimeout(400);
        await page.screenshot({ path: `test-results/present-shots/fit-${size.width}-${sc.id}.png` });
        for (const view of VIEWS) {
          await page.evaluate((text) => (window as unknown as { __pinscope: { load(t: string): void } }).__pinscope.load(text), showing(sc.text, view));
          await app.waitReady();
          await expect(page.locator('.views')).toHaveAttribute('data-show', view);
          await check(`show ${view}`);
          if (sc.id === BUILTINS[0]!.id) {
            await app.seek(Math.floor((await app.lastStep()) / 2));
            await page.waitForTimeout(400);
            await page.screenshot({ path: `test-results/present-shots/fit-${size.width}-${sc.id}-show-${view}.png` });
          }
        }
        expect(problems.slice(0, 40), `${problems.length} problems`).toEqual([]);
      });
    }
  });
}

// The chapter title at 1024×768: a long one is set smaller (never under 16 px) or on two lines, and reads whole
// (not cut with an ellipsis); the title's height, and so the picture's top, is the same at every chapter.
test.describe('presentation mode at 1024×768: the chapter title', () => {
  test.use({ viewport: { width: 1024, height: 768 } });
  test('reads whole at the start and at every chapter of every built-in, at least 16 px, in one height', async ({ page }) => {
    test.setTimeout(120_000);
    const app = new PresentPage(page);
    const problems: string[] = [];
    const tops = new Set<number>();
    let twoLines = 0;
    for (const sc of BUILTINS) {
      await app.goto(`?scenario=${sc.id}&mode=present`);
      await app.expectPresenting(true);
      for (const step of [0, ...(await app.chapters()).map((c) => c.step)]) {
        await app.seek(step);
        await page.waitForTimeout(100);
        const t = await app.chapterTitle();
        if (t.cut) problems.push(`${sc.id} step ${step}: "${t.text}" is cut (${t.scrollWidth}×${t.scrollHeight} in ${t.clientWidth}×${t.clientHeight})`);
        if (t.fontPx < 16) problems.push(`${sc.id} step ${step}: "${t.text}" at ${t.fontPx} px`);
        if (t.lines === 2) twoLines++;
        tops.add(Math.round(t.viewsTop));
        if (sc.id === 'legacy-subblock-zeroing') await page.screenshot({ path: `test-results/present-shots/title-1024-${sc.id}-step-${step}.png`, clip: { x: 0, y: 0, width: 1024, height: 120 } });
      }
    }
    expect(problems).toEqual([]);
    expect([...tops], 'the picture moves between chapters').toHaveLength(1);
    // The built-ins' longest titles do not fit one line at 16 px here: the two-line form is exercised.
    expect(twoLines).toBeGreaterThan(0);
  });
});
