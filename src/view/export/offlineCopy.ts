// "Save a copy with this scenario": one self-contained HTML file (the single-file build, docs/export.md) that
// opens offline on the current scenario, kernels and step. Its text comes from the page itself in the
// single-file copy (ownDocument.ts), or, in the served build, from `pinscope-copy.js`, a module the build puts
// beside the site holding the single file's text (loaded as a script: the page's policy allows scripts from
// the site and no fetch at all). The moment goes into the copy as `<meta name="pinscope-open" content="#…">`.

import { useExplorer } from '../../store/explorer';
import { encodeLink } from '../../store/url';
import { currentLinkState } from '../../store/urlOpen';
import { OPEN_META, ownSingleFileHtml } from './ownDocument';

/** Where the served build keeps the single file's text (written by `npm run build`, vite.single.config.ts). */
export const COPY_MODULE = 'pinscope-copy.js';

async function singleFileHtml(): Promise<string> {
  const own = ownSingleFileHtml();
  if (own) return own;
  const url = new URL(COPY_MODULE, document.baseURI).href;
  let mod: { default?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ url)) as { default?: unknown };
  } catch {
    throw new Error('this build has no offline copy to save (build it with `npm run build`, which makes one)');
  }
  if (typeof mod.default !== 'string' || !mod.default.includes('<html')) throw new Error(`${COPY_MODULE} does not hold a page`);
  return mod.default;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page `html` opening on `hash` (a link's `#…`): any moment it held before is replaced. Pure. */
export function withOpening(html: string, hash: string): string {
  const meta = `<meta name="${OPEN_META}" content="${escapeAttribute(hash)}">`;
  const without = html.replace(new RegExp(`<meta name="${OPEN_META}"[^>]*>`, 'g'), '');
  const head = /<head[^>]*>/i.exec(without);
  if (!head) throw new Error('the page has no <head>');
  const at = head.index + head[0].length;
  return `${without.slice(0, at)}${meta}${without.slice(at)}`;
}

/** Build the copy for the current moment: the file's text and a name for it. */
export async function offlineCopy(): Promise<{ html: string; name: string }> {
  const { run, step } = useExplorer.getState();
  if (!run) throw new Error('nothing is drawn yet');
  const [html, hash] = await Promise.all([singleFileHtml(), encodeLink(currentLinkState())]);
  const slug = (run.title || 'pinscope').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'pinscope';
  return { html: withOpening(html, hash), name: `${slug}-step-${step}.html` };
}
