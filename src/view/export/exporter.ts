// Export of the picture on screen as SVG and PNG, and opening an exported PNG or SVG dropped back on pinscope.
// Loaded on demand (ExportMenu and the file drop import it), so none of it is in the first-picture bundle.

import { useExplorer } from '../../store/explorer';
import { decodeLink, encodeLink } from '../../store/url';
import { currentLinkState, openLinkState } from '../../store/urlOpen';
import { replaceText } from '../draft';
import { transitionMs } from '../common/motion';
import { composePicture, inlineSvg, linkOfSvg, serialize, type ExportColumn } from './svg';
import { LINK_KEYWORD, isPng, readTextChunk, withTextChunk } from './png';

/** The four views by the names links use, with the accessible names of their panels. */
export const EXPORT_VIEWS = [
  { id: 'pagetables', label: 'Page tables' },
  { id: 'memory', label: 'Memory' },
  { id: 'graph', label: 'Refcount graph' },
  { id: 'blockio', label: 'Block I/O' },
] as const;
export type ExportWhich = 'all' | (typeof EXPORT_VIEWS)[number]['id'];

/** The largest picture file read back: a 3× PNG of every view is a few megabytes. */
const MAX_PICTURE_BYTES = 64 * 1024 * 1024;

export const PNG_SCALES = [1, 2, 3] as const;

/** Chromium's and Firefox's canvas limits, well inside both: beyond them toBlob gives nothing. */
const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_PIXELS = 120_000_000;

export interface Exported {
  svg: string;
  width: number;
  height: number;
  link: string;
  /** A file name without extension: scenario title and step. */
  name: string;
}

/** The link that reopens the current picture (the same one the address bar gets, without present mode). */
export async function currentLink(): Promise<string> {
  const hash = await encodeLink(currentLinkState());
  return `${window.location.origin}${window.location.pathname}${hash}`;
}

function visible(e: Element): boolean {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).display !== 'none';
}

/** The outermost SVGs of a panel, in document order: what the panel draws (HTML controls are left out). */
function pictureSvgs(panel: Element): SVGSVGElement[] {
  return [...panel.querySelectorAll('svg')].filter((s) => s.parentElement?.closest('svg') === null && visible(s));
}

function columnsOnScreen(which: ExportWhich): { heading: string; live: SVGSVGElement[] }[] {
  // The explorer's views, or an embed's (src/view/embed).
  const views = document.querySelector('.views, .embed-views');
  if (!views) return [];
  const wanted = which === 'all' ? EXPORT_VIEWS : EXPORT_VIEWS.filter((v) => v.id === which);
  const out: { heading: string; live: SVGSVGElement[] }[] = [];
  for (const v of wanted) {
    // In compare mode each side has its own panel of a view: both are exported, side by side.
    for (const panel of views.querySelectorAll(`section[aria-label="${v.label}"]`)) {
      if (!visible(panel)) continue;
      const live = pictureSvgs(panel);
      const side = panel.closest('[data-side]')?.getAttribute('data-side');
      if (live.length > 0) out.push({ heading: side ? `${v.label} (${side.toUpperCase()})` : v.label, live });
    }
  }
  return out;
}

/** Let a step's transition finish, so the export shows the step's state and not a frame on the way there. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, transitionMs() + 40));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}

function css(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  if (!v) return fallback;
  // Resolve the variable to a concrete colour through an element, whatever form the theme writes it in.
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  document.body.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved || fallback;
}

/** The SVG of the picture on screen: all its views side by side, or one. Throws with a message to show. */
export async function exportSvg(which: ExportWhich): Promise<Exported> {
  await settle();
  return composeOnScreen(which, await currentLink());
}

/**
 * The SVG of the views as they are drawn this moment (no waiting for transitions: the video exporter calls it
 * for each frame, with the clock held), carrying `link`.
 */
export function composeOnScreen(which: ExportWhich, link: string): Exported {
  const { run, step, compareRun } = useExplorer.getState();
  if (!run) throw new Error('nothing is drawn yet');
  const found = columnsOnScreen(which);
  if (found.length === 0) throw new Error(which === 'all' ? 'no view is on screen' : `the ${EXPORT_VIEWS.find((v) => v.id === which)!.label} view is not on screen`);
  const columns: ExportColumn[] = found.map((c, i) => ({ heading: c.heading, svgs: c.live.map((s, j) => inlineSvg(s, `x${i}-${j}-`)) }));
  const event = step > 0 ? run.events[step - 1] : undefined;
  const kernels = compareRun ? `kernel ${run.kernel.label} compared with ${compareRun.kernel.label}` : `kernel ${run.kernel.label}`;
  const desc = `${run.title}, ${kernels}, step ${step} of ${run.lastStep}${event ? `: ${event.text}` : ''}`;
  const view = which === 'all' ? '' : `: ${EXPORT_VIEWS.find((v) => v.id === which)!.label}`;
  const panel = document.querySelector('.views section.panel, .embed-views section.panel') ?? document.body;
  const { svg, width, height } = composePicture(document, columns, {
    title: `pinscope${view}: ${run.title}`,
    desc,
    link,
    background: getComputedStyle(panel).backgroundColor || css('--panel', '#ffffff'),
    ink: css('--ink', '#1d1f23'),
    inkSoft: css('--ink-soft', '#555b69'),
    fontFamily: getComputedStyle(document.body).fontFamily || 'sans-serif',
  });
  const slug = (run.title || 'pinscope').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'pinscope';
  return { svg: serialize(svg), width, height, link, name: `${slug}${which === 'all' ? '' : `-${which}`}-step-${step}` };
}

/** The exported SVG as an image, ready to be drawn into a canvas at any size. */
export async function svgImage(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Draw the SVG into a canvas at `scale` and encode it as PNG with the link in a tEXt chunk. */
export async function renderPng(exported: Exported, scale: number): Promise<Blob> {
  const width = Math.round(exported.width * scale);
  const height = Math.round(exported.height * scale);
  if (width > MAX_CANVAS_SIDE || height > MAX_CANVAS_SIDE || width * height > MAX_CANVAS_PIXELS) {
    throw new Error(`${width}×${height} is larger than a browser canvas can hold; choose a smaller size or one view`);
  }
  const img = await svgImage(exported.svg);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas');
  // Drawn at the target size from the vector image, so 3× is sharp rather than an enlarged 1×.
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  const bytes = withTextChunk(new Uint8Array(await blob.arrayBuffer()), LINK_KEYWORD, exported.link);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start reading the blob only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export async function downloadSvg(which: ExportWhich): Promise<string> {
  const e = await exportSvg(which);
  download(new Blob([e.svg], { type: 'image/svg+xml' }), `${e.name}.svg`);
  return `${e.name}.svg`;
}

export async function downloadPng(which: ExportWhich, scale: number): Promise<string> {
  const e = await exportSvg(which);
  download(await renderPng(e, scale), `${e.name}@${scale}x.png`);
  return `${e.name}@${scale}x.png`;
}

/** Put the PNG (2×) on the clipboard. Throws with a message naming why the browser refused. */
export async function copyPng(which: ExportWhich): Promise<void> {
  if (typeof ClipboardItem === 'undefined' || !navigator.clipboard?.write) throw new Error('this browser cannot put images on the clipboard');
  // The item gets the promise, not the blob: Safari keeps the user's click as permission only this way.
  const png = exportSvg(which).then((e) => renderPng(e, 2));
  try {
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
  } catch (err) {
    await png; // an export failure is reported as itself, not as a clipboard refusal
    const name = err instanceof DOMException ? err.name : '';
    throw new Error(name === 'NotAllowedError' ? 'the browser refused access to the clipboard' : `the clipboard refused the image${err instanceof Error && err.message ? ` (${err.message})` : ''}`, { cause: err });
  }
}

/** A PNG or SVG dropped on pinscope: open the picture its link names, or say why not. */
export async function openExportedFile(file: File): Promise<void> {
  const store = useExplorer.getState();
  const refuse = (why: string) => store.setNotice(`Not opened: ${why}.`);
  if (file.size > MAX_PICTURE_BYTES) return refuse(`"${file.name}" is too large for an exported picture (${file.size.toLocaleString('en-US')} bytes)`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let link: string | null;
  if (isPng(bytes)) {
    try {
      link = readTextChunk(bytes, LINK_KEYWORD);
    } catch (err) {
      return refuse(`"${file.name}" is a damaged PNG (${err instanceof Error ? err.message : 'unreadable'})`);
    }
    if (!link) return refuse(`"${file.name}" is a PNG without a pinscope link; only PNGs exported by pinscope reopen a picture`);
  } else {
    link = linkOfSvg(new TextDecoder().decode(bytes));
    if (!link) return refuse(`"${file.name}" is an SVG without a pinscope link; only SVGs exported by pinscope reopen a picture`);
  }
  const hashAt = link.indexOf('#');
  const decoded = hashAt >= 0 ? await decodeLink(link.slice(hashAt)) : ({ ok: false, reason: 'it has no picture in it' } as const);
  if (decoded.ok !== true) return refuse(`the link in "${file.name}" cannot be opened (${decoded.ok === false ? decoded.reason : 'it is empty'})`);
  replaceText(`the picture "${file.name}"`, () => openLinkState(decoded.link));
}
