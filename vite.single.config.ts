// `npm run build:single`: the whole explorer, with the built-in and library scenarios, as one HTML file
// (dist-single/pinscope.html) that runs from file:// with no network: for a talk at a venue without internet,
// or an attachment to a bug report. The normal build is split into files; here one small step after bundling
// puts the script and the styles inside the page, and the Content-Security-Policy allows exactly those two
// inline blocks by their SHA-256 hashes (still no eval, no connections, no other script).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OutputAsset, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';
import { defineConfig, mergeConfig } from 'vitest/config';
import base, { CONTENT_SECURITY_POLICY } from './vite.config';

const OUT_DIR = 'dist-single';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function inlineEverything(): Plugin {
  return {
    name: 'pinscope-single-file',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f): f is OutputAsset => f.type === 'asset' && f.fileName.endsWith('.html'));
      if (!html) throw new Error('single file: no HTML page in the bundle');
      let page = String(html.source);
      const scripts: string[] = [];
      const styles: string[] = [];
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && (file as OutputChunk).isEntry) {
          // `</script` inside the code would end the inline block early; `<\/script` means the same in JS.
          // With code splitting off, Vite leaves its preload marker unreplaced in every import() (which then
          // throws a ReferenceError); in one file there is nothing to preload.
          const code = (file as OutputChunk).code.replace(/<\/script/gi, '<\\/script').replace(/\b__VITE_PRELOAD__\b/g, 'void 0');
          const tag = new RegExp(`<script[^>]*src="[^"]*${file.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*></script>`);
          if (!tag.test(page)) throw new Error(`single file: the page does not load ${file.fileName}`);
          page = page.replace(tag, () => `<script type="module">${code}</script>`);
          scripts.push(code);
          delete bundle[file.fileName];
        } else if (file.type === 'asset' && file.fileName.endsWith('.css')) {
          const css = String(file.source).replace(/<\/style/gi, '<\\/style');
          const tag = new RegExp(`<link[^>]*href="[^"]*${file.fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`);
          page = tag.test(page) ? page.replace(tag, () => `<style>${css}</style>`) : page.replace('</head>', () => `<style>${css}</style></head>`);
          styles.push(css);
          delete bundle[file.fileName];
        }
      }
      const left = Object.keys(bundle).filter((name) => name !== html.fileName && !name.endsWith('.map'));
      if (left.length > 0) throw new Error(`single file: these would still be separate files: ${left.join(', ')}`);
      const policy = CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src ${scripts.map(sha256).join(' ')}`).replace("style-src 'self'", `style-src ${styles.map(sha256).join(' ')}`);
      page = page.replace(/(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/, (_m, a: string, b: string) => `${a}${policy}${b}`);
      html.source = page;
    },
    closeBundle() {
      renameSync(`${OUT_DIR}/index.html`, `${OUT_DIR}/pinscope.html`);
      // The served site's "Save a copy with this scenario" needs this file's text: beside the site (dist/,
      // built first by `npm run build`) as a module holding it, since the site's policy forbids fetch().
      if (existsSync('dist/index.html')) {
        writeFileSync('dist/pinscope-copy.js', `export default ${JSON.stringify(readFileSync(`${OUT_DIR}/pinscope.html`, 'utf8'))};\n`);
      }
    },
  };
}

export default mergeConfig(
  base,
  defineConfig({
    plugins: [inlineEverything()],
    publicDir: false,
    // No worker file in a single file: the simulation client falls back to running on the page.
    // Nor a GIF worker: the GIF is then written on the page.
    resolve: {
      alias: [
        { find: /^\.\.\/worker\/spawn$/, replacement: fileURLToPath(new URL('./src/worker/spawn.single.ts', import.meta.url)) },
        { find: /^\.\/gifSpawn$/, replacement: fileURLToPath(new URL('./src/view/export/gifSpawn.single.ts', import.meta.url)) },
      ],
    },
    build: {
      outDir: OUT_DIR,
      sourcemap: false,
      cssCodeSplit: false,
      assetsInlineLimit: Number.MAX_SAFE_INTEGER,
      rolldownOptions: { output: { codeSplitting: false } },
    },
  }),
);
