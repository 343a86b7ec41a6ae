import { expect, test } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

test.describe('compare mode', () => {
  test('v6.4 against v6.5: the zero page in flight is 5 on the left, 1 on the right, marked as a difference', async ({ page }, info) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await app.setCompare('v6.5');
    await expect(page.getByRole('region', { name: 'Compare kernels' })).toBeVisible();
    await expect(page.getByTestId('compare-kernel-a')).toHaveText('v6.4');
    await expect(page.getByTestId('compare-kernel-b')).toHaveText('v6.5');

    // The chapter where the bio is in flight: its last step, before the device completes the bio.
    const chapters = await app.chapters();
    await app.seek(chapters[2]!.step - 1);
    const zero = await app.folio('zero');
    expect(zero.refcount).toBe(5);
    await expect(app.compareCounter('a', zero.id)).toHaveText('5');
    await expect(app.compareCounter('b', zero.id)).toHaveText('1');
    await expect(app.compareMark('a', zero.id)).toHaveAttribute('data-other', '1');
    await expect(app.compareMark('b', zero.id)).toHaveAttribute('data-other', '5');
    await expect(app.compareMark('a', zero.id)).toContainText('≠ 1');
    await expect(page.getByTestId('compare-headline')).toContainText('Runs diverge first at line 19');
    await page.screenshot({ path: info.outputPath('compare-inflight.png') });

    // Every view for both kernels, a tab each.
    for (const [tab, svg] of [['Refcount graph', '.graph-svg'], ['Page tables', '.pt-walk'], ['Block I/O', '.bio-view'], ['Memory', '.memory-svg']] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(app.compareSide('a').locator(svg)).toBeVisible();
      await expect(app.compareSide('b').locator(svg)).toBeVisible();
    }

    // A divergence in the strip seeks there; "Exit compare" brings the four views back.
    await page.locator('.compare-item').first().click();
    expect(await app.step()).toBeLessThan(chapters[2]!.step - 1);
    await page.getByRole('button', { name: 'Exit compare' }).click();
    await expect(page.getByRole('region', { name: 'Memory', exact: true })).toBeVisible();
    await expect(page.getByLabel('Compare with kernel')).toHaveValue('');
  });
});
