// The first-picture budget: the JavaScript a browser loads before pinscope draws its first picture (the entry
// script of dist/index.html and every chunk it imports statically, which Vite also lists as modulepreload
// links) must stay within 200 KB gzipped. Run after `npm run build` (npm test does); exit 1 when over.
// Chunks loaded with import() (export, video, embed, dialogs, the speaker view) do not count.

import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

// 200 KB as Vite reports sizes (1 kB = 1000 bytes), the stricter reading.
export const BUDGET_BYTES = 200_000;
const DIST = process.argv[2] ?? 'dist';

function localScripts(html) {
  const found = [];
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) found.push(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) found.push(m[1]);
  return found.filter((src) => !/^[a-z]+:/i.test(src)).map((src) => normalize(src.replace(/^\.?\//, '')));
}

/** Static imports of a built chunk: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"` (not `import("./x.js")`). */
function staticImports(code) {
  const out = [];
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) out.push(m[1]);
  return out;
}

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const seen = new Map();
const queue = localScripts(html);
while (queue.length > 0) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  const code = readFileSync(join(DIST, file), 'utf8');
  seen.set(file, { raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });
  for (const dep of staticImports(code)) queue.push(normalize(join(dirname(file), dep)));
}

let total = 0;
for (const [file, size] of seen) {
  total += size.gzip;
  console.log(`${(size.gzip / 1000).toFixed(1).padStart(7)} kB gzip  ${(size.raw / 1000).toFixed(1).padStart(7)} kB  ${file}`);
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
console.log(`first-picture JavaScript: ${(total / 1000).toFixed(1)} kB gzip, ${verdict} the ${BUDGET_BYTES / 1000} kB budget`);
if (seen.size === 0) {
  console.error('bundle budget: dist/index.html loads no script; is this a pinscope build?');
  process.exit(1);
}
process.exit(total <= BUDGET_BYTES ? 0 : 1);
