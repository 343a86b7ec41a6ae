// Take a screenshot of the built explorer:
//   npx tsx scripts/screenshot.ts OUT.png [URL-SUFFIX] [--step N] [--size 1600x900] [--base http://127.0.0.1:4173/] [--click CSS-SELECTOR] [--text SCENARIO-FILE]
// Needs a server (npm run build && npx vite preview). URL-SUFFIX is e.g. '?scenario=vfio-zero-page'.
import { chromium } from '@playwright/test';

const [out = 'shot.png', suffix = '', ...rest] = process.argv.slice(2);
const stepIndex = rest.indexOf('--step');
const sizeIndex = rest.indexOf('--size');
const baseIndex = rest.indexOf('--base');
const base = baseIndex >= 0 ? rest[baseIndex + 1]! : 'http://127.0.0.1:4173/';
const [width, height] = (sizeIndex >= 0 ? rest[sizeIndex + 1]! : '1600x900').split('x').map(Number);
const browser = await chromium.launch({
  executablePath: process.env.PINSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: width!, height: height! } });
page.on('console', (m) => {
  if (m.type() === 'error') console.error('console:', m.text());
});
page.on('pageerror', (e) => console.error('pageerror:', e.message));
await page.goto(`${base}${suffix}`);
await page.waitForFunction(() => (window as unknown as { __pinscope?: { lastStep(): number } }).__pinscope?.lastStep());
const textIndex = rest.indexOf('--text');
if (textIndex >= 0) {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(rest[textIndex + 1]!, 'utf8');
  await page.evaluate((t) => (window as unknown as { __pinscope: { load(text: string): void } }).__pinscope.load(t), text);
}
if (stepIndex >= 0) {
  const step = Number(rest[stepIndex + 1]);
  await page.evaluate((s) => (window as unknown as { __pinscope: { seek(n: number): void } }).__pinscope.seek(s), step);
}
const clickIndex = rest.indexOf('--click');
if (clickIndex >= 0) await page.locator(rest[clickIndex + 1]!).first().click();
await page.waitForTimeout(600);
await page.screenshot({ path: out });
await browser.close();
