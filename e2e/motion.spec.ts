// Video and GIF export: three steps of the default scenario, drawn frame by frame with the clock held, as an
// animated GIF (its magic, size and frame count read from its blocks) and as WebM and MP4 (read back with
// mediabunny in Node: container, size and frame count); Cancel stops an export and nothing is saved.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { ExplorerPage } from './pages/ExplorerPage';

/** Width, height and the number of images of a GIF, walking its blocks (a GIF89a has no frame count field). */
function gifFacts(b: Buffer): { magic: string; width: number; height: number; frames: number } {
  const magic = b.subarray(0, 6).toString('latin1');
  const width = b.readUInt16LE(6);
  const height = b.readUInt16LE(8);
  let at = 13;
  if (b[10]! & 0x80) at += 3 * 2 ** ((b[10]! & 7) + 1);
  const skipSubBlocks = () => {
    while (b[at]! !== 0) at += b[at]! + 1;
    at += 1;
  };
  let frames = 0;
  for (;;) {
    const tag = b[at];
    if (tag === 0x3b) break;
    if (tag === 0x21) {
      at += 2;
      skipSubBlocks();
    } else if (tag === 0x2c) {
      frames += 1;
      const flags = b[at + 9]!;
      at += 10;
      if (flags & 0x80) at += 3 * 2 ** ((flags & 7) + 1);
      at += 1; // LZW minimum code size
      skipSubBlocks();
    } else throw new Error(`not a GIF block at ${at}: ${tag}`);
  }
  return { magic, width, height, frames };
}

async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Video or GIF…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export video or GIF' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function exportMotion(page: Page, format: string, from: number, to: number, size: string, pace: number) {
  const dialog = await openDialog(page);
  await dialog.getByLabel('Format').selectOption(format);
  await dialog.getByLabel('From step').fill(String(from));
  await dialog.getByLabel('to', { exact: true }).fill(String(to));
  await dialog.getByLabel('Size').selectOption(size);
  await dialog.getByLabel('Pace (steps/s)').fill(String(pace));
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  await expect(dialog.getByRole('status')).toContainText('Saved', { timeout: 10_000 });
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!), dialog };
}

async function videoFacts(bytes: Buffer) {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  const stats = await track.computePacketStats();
  return { mime: await input.getMimeType(), width: track.displayWidth, height: track.displayHeight, frames: stats.packetCount, codec: track.codec };
}

test.describe('video and GIF export', () => {
  test.setTimeout(180_000);

  test('a GIF of three steps has one frame per tenth of a second, at the chosen size, and the step is given back', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    await page.evaluate(() => window.__pinscope!.seek(10));
    const gif = await exportMotion(page, 'gif', 10, 12, '640x360', 2);
    expect(gif.name).toMatch(/-steps-10-12\.gif$/);
    const facts = gifFacts(gif.bytes);
    // 3 steps at 2 steps/s and 10 frames/s: 5 frames each.
    expect(facts).toEqual({ magic: 'GIF89a', width: 640, height: 360, frames: 15 });
    await expect(gif.dialog.getByRole('status')).toContainText('15 frames');
    writeFileSync(test.info().outputPath('steps-10-12.gif'), gif.bytes);
    expect(await app.step()).toBe(10);
    await page.screenshot({ path: 'test-results/e2e/motion-dialog.png' });
  });

  for (const format of ['webm', 'mp4'] as const) {
    test(`a ${format} video of three steps has 30 frames a second at the chosen size`, async ({ page }) => {
      const app = new ExplorerPage(page);
      await app.goto();
      const video = await exportMotion(page, format, 4, 6, '640x360', 2);
      expect(video.name.endsWith(`.${format}`)).toBe(true);
      expect(video.bytes.length).toBeGreaterThan(1000);
      if (format === 'webm') expect([...video.bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
      else expect(video.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      const facts = await videoFacts(video.bytes);
      expect(facts.mime).toContain(format === 'webm' ? 'video/webm' : 'video/mp4');
      expect({ width: facts.width, height: facts.height, frames: facts.frames }).toEqual({ width: 640, height: 360, frames: 45 });
    });
  }

  test('Cancel stops an export under way and saves nothing', async ({ page }) => {
    const app = new ExplorerPage(page);
    await app.goto();
    const last = await app.lastStep();
    await page.evaluate(() => window.__pinscope!.seek(3));
    const dialog = await openDialog(page);
    await dialog.getByLabel('From step').fill('0');
    await dialog.getByLabel('to', { exact: true }).fill(String(last));
    await dialog.getByLabel('Pace (steps/s)').fill('0.5');
    let downloads = 0;
    page.on('download', () => (downloads += 1));
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const bar = dialog.locator('progress');
    await expect(bar).toBeVisible();
    await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 30_000 }).toBeGreaterThan(2);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Export cancelled');
    await expect(bar).toHaveCount(0);
    await page.waitForTimeout(500);
    expect(downloads).toBe(0);
    expect(await app.step()).toBe(3);
  });
});
