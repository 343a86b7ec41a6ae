// Links that keep showing what was sent: released links open at their moment, a link from another model whose
// counts differ says so, and the mail form (Copy text) opens the same moment when pasted back.
import { expect, test } from '@playwright/test';
import { ExplorerPage } from './pages/ExplorerPage';
import { readFileSync } from 'node:fs';

interface Fixtures {
  links: { name: string; hash: string; expect: { step: number; folios: number[][] } }[];
}
const fixtures = (version: number): Fixtures => JSON.parse(readFileSync(`src/store/__fixtures__/links-v${version}.json`, 'utf8')) as Fixtures;
const linksV1 = fixtures(1);
const linksV2 = fixtures(2);

const counters = (p: ExplorerPage) => p.snapshot().then((s) => s!.folios.map((f) => [f.id, f.refcount, f.mapcount, f.pincount]));

test('a format-1 link opens at its step with its counts and is rewritten in the current format', async ({ page }) => {
  const fixture = linksV1.links[1]!;
  const explorer = new ExplorerPage(page);
  await explorer.goto(fixture.hash);
  await explorer.expectStep(fixture.expect.step);
  expect(await counters(explorer)).toEqual(fixture.expect.folios);
  await expect(explorer.notice).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#v=2&pv=[^&]+&m=1&k=v6\.4&c=v6\.5&t=66&at=\d+\.\d+\.\d+&/);
});

test('a link made under another model whose counts differ shows a plain notice', async ({ page }) => {
  const fixture = linksV2.links[1]!;
  const older = fixture.hash.replace('m=1&', 'm=0&').replace(/fp=[0-9a-f]{8}/, 'fp=00000000').replace('cn=1.6.0.0', 'cn=1.5.0.0');
  const explorer = new ExplorerPage(page);
  await explorer.goto(older);
  await explorer.expectStep(fixture.expect.step);
  await expect(explorer.notice).toContainText('This link was made with model 0 of the simulator; this is model 1, and the counts here differ: folio 1 had refcount 5');
});

test('Copy text pasted back opens the same moment and kernels', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const explorer = new ExplorerPage(page);
  await explorer.goto(linksV2.links[1]!.hash);
  await explorer.seek(70);
  await page.getByRole('button', { name: 'Copy text' }).click();
  const mailed = await page.evaluate(() => navigator.clipboard.readText());
  expect(mailed).toMatch(/^# pinscope \| kernel v6\.4 \| compare v6\.5 \| step 70 \| at line/);

  await explorer.goto('?scenario=library/zero-page-pin-overflow');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, mailed);
  await explorer.expectStep(70);
  const kernels = await page.evaluate(() => window.__pinscope!.kernels());
  expect(kernels).toEqual({ main: 'v6.4', compare: 'v6.5' });
});

test('a link of a newer format says which pinscope made it', async ({ page }) => {
  const explorer = new ExplorerPage(page);
  await explorer.goto('#v=9&pv=3.1.0&s=AAAA');
  await expect(explorer.notice).toContainText('made by pinscope 3.1.0');
});
