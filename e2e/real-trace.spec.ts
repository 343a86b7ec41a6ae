// Real traces recorded with scripts/record/record.sh inside the qemu guests (e2e/fixtures/traces/, made by
// scripts/record/qemu-record.sh) open in the explorer: the preset closest to the recorded kernel, the summary,
// and the real count beside the simulated one on the zero page's card; an altered trace shows a red mark.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExplorerPage } from './pages/ExplorerPage';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'traces');
const fixture = (k: string) => readFileSync(join(dir, `01-blockdev-dio-write-zero-page.${k}.trace.json`), 'utf8');

/** Drop a file on the page, as a user dragging it from the file manager would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t!], n!, { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [name, text],
  );
}

const KERNELS = [
  { k: '5.10', preset: 'v5.10', inflightLine: 12, real: '5' },
  { k: '6.1', preset: 'v6.1 zero-pin=skip', inflightLine: 12, real: '5' },
  { k: '6.12', preset: 'v6.12', inflightLine: 13, real: '1' },
];

test.describe('a real trace beside the simulation', () => {
  for (const { k, preset, inflightLine, real } of KERNELS) {
    test(`the O_DIRECT write from zero-page memory agrees on Debian ${k}`, async ({ page }, info) => {
      const app = new ExplorerPage(page);
      await app.goto();
      await dropFile(page, `01-blockdev-dio-write-zero-page.${k}.trace.json`, fixture(k));
      const summary = page.getByTestId('rt-summary');
      await expect(summary).toHaveText(new RegExp(`^Real kernel ${k.replace('.', '\\.')}[^:]*: agrees on 7 of 7 checks$`));
      await expect(page.getByTestId('rt-pick')).toContainText(`running under ${preset}`);
      await expect(page.getByTestId('rt-pick')).not.toContainText('instead');
      await expect(page.getByTestId('rt-timeline-mark')).toHaveCount(0);
      // The in-flight check: a click goes to its step; the zero page's card shows the real count beside the simulated one.
      const row = page.locator(`.rt-checks tr[data-line="${inflightLine}"]`);
      await expect(row.getByTestId('rt-real')).toHaveText(real);
      await expect(row.getByTestId('rt-sim')).toHaveText(real);
      await row.click();
      const zero = await app.folio('zero');
      expect(zero.refcount).toBe(Number(real));
      const card = page.getByRole('region', { name: 'Memory' });
      await expect(card.locator(`[data-testid="rt-folio-real"][data-folio="${zero.id}"]`)).toHaveText(`real refcount ${real}`);
      await expect(card.locator(`text.mb-ref[data-folio="${zero.id}"]`)).toHaveText(real);
      await page.screenshot({ path: info.outputPath(`real-trace-${k}.png`) });
    });
  }

  test('an altered trace shows where it differs, on the timeline and the folio card', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const t = JSON.parse(fixture('5.10')) as { measurements: { line: number; value?: string }[] };
    for (const m of t.measurements) if (m.line === 12) m.value = '6';
    await dropFile(page, 'altered.trace.json', JSON.stringify(t));
    await expect(page.getByTestId('rt-summary')).toHaveText(/agrees on 6 of 7 checks$/);
    await expect(page.getByTestId('rt-timeline-mark')).toHaveCount(1);
    const row = page.locator('.rt-checks tr[data-line="12"]');
    await expect(row).toHaveClass(/rt-row-bad/);
    await row.click();
    const zero = await app.folio('zero');
    await expect(page.getByTestId('rt-timeline-mark')).toHaveAttribute('data-step', String(await app.step()));
    await expect(page.getByRole('region', { name: 'Memory' }).locator(`[data-testid="rt-folio-real"][data-folio="${zero.id}"]`)).toHaveText('real refcount 6 ≠ 5');
  });

  test('a pasted trace opens the same way; a broken one is refused with a reason', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, fixture('6.12'));
    await expect(page.getByTestId('rt-summary')).toHaveText(/agrees on 7 of 7 checks$/);
    await dropFile(page, 'broken.trace.json', '{"format": "pinscope-trace/1", "kernel": {"release": "6.1"}}');
    await expect(app.notice).toContainText('is not a pinscope trace: it has no scenario.text');
  });
  test('the link made while a trace is shown carries it: opened elsewhere, the same agreement at the same step', async ({ page, context }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await dropFile(page, '01-blockdev-dio-write-zero-page.6.12.trace.json', fixture('6.12'));
    await expect(page.getByTestId('rt-summary')).toContainText('agrees on 7 of 7 checks');
    await page.evaluate(() => window.__pinscope!.seek(10));
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/[#&]rt=.*[&]t=10|[#&]t=10.*[&]rt=/);
    const url = page.url();
    const other = await context.newPage();
    await new ExplorerPage(other).goto(url.slice(url.indexOf('?') >= 0 ? url.indexOf('?') : url.indexOf('#')));
    await expect(other.getByTestId('rt-summary')).toContainText('agrees on 7 of 7 checks');
    await expect(other.getByTestId('rt-pick')).toContainText('running under v6.12');
    await expect.poll(() => other.evaluate(() => window.__pinscope!.step())).toBe(10);
  });
});
