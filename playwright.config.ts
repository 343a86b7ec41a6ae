import { defineConfig } from '@playwright/test';

// Browser tests run against the production build (`npm run build` first; scripts/test-all.sh does it),
// served by `vite preview`, in the system's Chromium: Playwright's own browser downloads are not used.
const chromium = process.env.PINSCOPE_CHROMIUM ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
// PINSCOPE_E2E_PORT lets several checkouts run their browser tests side by side.
const port = Number(process.env.PINSCOPE_E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  // Artifacts (screenshots, traces) only; Playwright empties this folder at the start of every run, so it
  // is a subfolder of test-results/ where the JSON reports of both runners live.
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // Tests must be deterministic: no retries, locally or in CI.
  retries: 0,
  workers: 2,
  reporter: process.env.PW_JSON
    ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]]
    : [['list']],
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1600, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' } },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
