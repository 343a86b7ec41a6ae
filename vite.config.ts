import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The built site's Content-Security-Policy, as a meta tag (a static site has no headers of its own): scripts
 * only from the site's own files (no inline script, no eval), no network connections at all, no plugins, no
 * frames, no forms, workers only from the site's own files. Added at build time only: Vite's dev server injects inline scripts (React refresh).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  // The simulator runs in a worker built from the site's own files (src/worker/); nothing else may start one.
  "worker-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'pinscope-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        // The policy forbids inline scripts: fail the build rather than ship a page that breaks itself.
        if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) throw new Error('index.html has an inline <script>, which the Content-Security-Policy forbids');
        // The icon goes inline too: Chromium fetches a linked icon again after history.replaceState, and the
        // page makes no request once loaded.
        const icon = `data:image/svg+xml,${encodeURIComponent(readFileSync('public/favicon.svg', 'utf8'))}`;
        return {
          html: html.replace(/(<link rel="icon"[^>]*href=")[^"]*favicon\.svg(")/, `$1${icon}$2`),
          tags: [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
        };
      },
    },
  };
}

/**
 * Stamps public/sw.js in dist/ with this build's version (a hash of its file names, which carry their content
 * hashes) and the files to cache for offline use. The single-file build has no public files and no worker.
 */
function serviceWorkerStamp(): Plugin {
  let outDir = 'dist';
  return {
    name: 'pinscope-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      const file = join(outDir, 'sw.js');
      if (!existsSync(file)) return;
      // Source maps and the offline copy's text (1.5 MB, fetched only when a copy is saved) are not cached.
      const assets = Object.keys(bundle).filter((name) => !name.endsWith('.map') && name !== 'index.html').sort();
      assets.push('favicon.svg');
      const version = createHash('sha256').update(assets.join('\n')).digest('hex').slice(0, 12);
      const code = readFileSync(file, 'utf8').replace('__PINSCOPE_BUILD__', version).replace(`['__PINSCOPE_ASSETS__']`, JSON.stringify(assets.map((a) => `./${a}`)));
      writeFileSync(file, code);
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), serviceWorkerStamp()],
  // Relative asset URLs: the built site works from any path (a subfolder, file-served, an iframe host).
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
    // The simulator and the scenario language are pure modules (no side effects on import; lint and
    // layering.test.ts keep them so). Saying so lets the bundler leave the interpreter, which the page needs
    // only when no worker can run it (src/store/simClient.ts imports it then), out of the first-picture
    // JavaScript although the core's index re-exports it (scripts/bundle-budget.mjs checks the budget).
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !/[\\/]src[\\/](core|scenario)[\\/]/.test(id) } },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/vitest.setup.ts'],
    // Simulator and parser tests run in plain Node. A component test opts into a DOM with the comment
    // `// @vitest-environment happy-dom` on its first line.
    environment: 'node',
    // Reporters are chosen on the command line (scripts/test-all.sh adds the JSON one).
  },
});
