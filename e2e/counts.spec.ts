import { expect, test } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';

// Every count on screen equals the simulator's at that step: the memory view, the refcount graph and the
// "why" panel, on each built-in scenario, at the start of each chapter, in the middle and at the end.
const SCENARIOS = ['dio-write-zero-page', 'legacy-subblock-zeroing', 'vfio-zero-page', 'dio-read-fresh-memory'];

test.use({ reducedMotion: 'reduce' });

/** A count as the views print it: digits, maybe thousands separators, a minus or a minus sign. */
function countPattern(n: number): RegExp {
  const digits = Math.abs(n).toLocaleString('en-US').replace(/,/g, '[,\u202f ]?');
  return new RegExp(`^${n < 0 ? '[-−]' : ''}${digits}$`);
}

for (const id of SCENARIOS) {
  test(`counts on screen match the simulator: ${id}`, async ({ page }, info) => {
    const app = new ExplorerPage(page);
    await app.goto(`?scenario=${id}`);
    const last = await app.lastStep();
    const steps = [...new Set([...(await app.chapters()).map((c) => c.step), Math.floor(last / 2), last - 1, last])];
    for (const step of steps) {
      await app.seek(step);
      await app.expectStep(step);
      const snap = (await app.snapshot())!;
      for (const f of snap.folios) {
        const memory = page.locator(`.mb [data-folio="${f.id}"][data-field="refcount"], g.mb[data-folio="${f.id}"] [data-field="refcount"]`).first();
        await expect(memory, `memory refcount of F${f.id} at step ${step}`).toHaveAttribute('data-value', String(f.refcount));
        await expect(memory).toHaveText(countPattern(f.refcount));
        const mapcount = page.locator(`g.mb[data-folio="${f.id}"] [data-field="mapcount"]`).first();
        await expect(mapcount, `memory mapcount of F${f.id} at step ${step}`).toContainText(String(f.mapcount));
        const graph = page.locator(`.gf-refcount[data-folio="${f.id}"]`);
        if ((await graph.count()) > 0) await expect(graph.first(), `graph refcount of F${f.id} at step ${step}`).toHaveAttribute('data-value', String(f.refcount));
      }
    }
    await page.screenshot({ path: info.outputPath(`${id}-end.png`) });
  });
}

test('clicking a folio shows who holds it, and jumps to the step that last changed it', async ({ page }, info) => {
  const app = new ExplorerPage(page);
  await app.goto('?scenario=dio-write-zero-page');
  const chapters = await app.chapters();
  await app.seek(chapters[2]!.step - 1); // the bio is in flight
  const zero = (await app.folio('zero')).id;
  await page.locator(`g.mb[data-folio="${zero}"]`).first().click();
  const why = page.getByRole('complementary', { name: /why/i }).or(page.locator('.why')).first();
  await expect(why).toBeVisible();
  await expect(why.locator(`[data-folio="${zero}"][data-field="refcount"]`)).toHaveText('5');
  await expect(why).toContainText('bio#1');
  const before = await app.step();
  await why.getByRole('button', { name: /last changed/i }).click();
  await expect.poll(() => app.step()).toBeLessThan(before);
  const landed = await app.step();
  // The step it landed on changed the zero page's refcount; nothing after it (up to where we were) did.
  const counts = await page.evaluate(
    ([from, to, id]) => {
      const api = (window as unknown as { __pinscope: { seek(n: number): void; snapshot(): { folios: { id: number; refcount: number }[] } | null } }).__pinscope;
      const out: number[] = [];
      for (let s = from - 1; s <= to; s++) {
        api.seek(s);
        out.push(api.snapshot()!.folios.find((f) => f.id === id)!.refcount);
      }
      api.seek(from);
      return out;
    },
    [landed, before, zero] as const,
  );
  expect(counts[0]).not.toBe(counts[1]);
  expect(new Set(counts.slice(1)).size).toBe(1);
  await page.screenshot({ path: info.outputPath('why-panel.png') });
});

test('dragging the scrubber moves through the run', async ({ page }) => {
  const app = new ExplorerPage(page);
  await app.goto('?scenario=dio-read-fresh-memory');
  const slider = page.getByRole('slider').first();
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  const seen: number[] = [];
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(box.x + (box.width * i) / 10 - 2, box.y + box.height / 2);
    seen.push(await app.step());
  }
  await page.mouse.up();
  const last = await app.lastStep();
  expect(seen[seen.length - 1]).toBeGreaterThan(last * 0.9);
  // The step grew as the pointer moved right.
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
  expect(new Set(seen).size).toBeGreaterThan(5);
});
