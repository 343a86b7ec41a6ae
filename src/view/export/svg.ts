// Self-contained SVG from the live views. The views are styled by CSS classes and CSS variables (theme.css),
// which an SVG opened on its own (Inkscape, an <img>, slide software) does not have: so each element of a
// copy gets the browser's computed values of the properties SVG renders with, as presentation attributes,
// and every class, style attribute and `var(` is dropped. Pattern ids (the zero-page hatching) get a prefix
// per exported view, since every view defines its own copy of the same ids.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Properties copied from the computed style. Inherited ones are written only where they change. */
const INHERITED = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'visibility',
  'paint-order',
] as const;
const OWN = ['opacity', 'stop-color', 'stop-opacity'] as const;
/** Defaults of the own (not inherited) properties: nothing is written for them. */
const OWN_DEFAULT: Record<(typeof OWN)[number], string[]> = { opacity: ['1'], 'stop-color': ['rgb(0, 0, 0)'], 'stop-opacity': ['1'] };
/** Attributes that only matter in the live page (focus, interaction, React's test hooks). */
const DROPPED = new Set(['class', 'style', 'tabindex', 'role', 'aria-pressed', 'aria-hidden', 'focusable']);

export interface StyleSource {
  getComputedStyle(el: Element): CSSStyleDeclaration;
}

/** `url("http://host/page#id")` or `url(#id)` as the computed style gives it, as `url(#<prefix>id)`. */
export function rewriteUrls(value: string, ids: ReadonlyMap<string, string>): string {
  return value.replace(/url\(\s*["']?[^#"')]*#([^"')\s]+)["']?\s*\)/g, (whole, id: string) => {
    const renamed = ids.get(id);
    return renamed ? `url(#${renamed})` : whole;
  });
}

/**
 * A copy of `live` (an <svg> in the document, laid out and styled) whose look needs no stylesheet: computed
 * fills, strokes, fonts and opacities as attributes, hidden parts removed, ids prefixed with `prefix`.
 */
export function inlineSvg(live: SVGSVGElement, prefix: string, styles: StyleSource = window): SVGSVGElement {
  const copy = live.cloneNode(true) as SVGSVGElement;
  const removed: Element[] = [];
  const walk = (from: Element, to: Element, parent: CSSStyleDeclaration | null) => {
    const cs = styles.getComputedStyle(from);
    if (cs.getPropertyValue('display') === 'none') {
      removed.push(to);
      return;
    }
    const explicit: Record<string, string> = {};
    for (const p of INHERITED) {
      const v = cs.getPropertyValue(p).trim();
      if (v && (parent === null || parent.getPropertyValue(p).trim() !== v)) explicit[p] = v;
    }
    for (const p of OWN) {
      const v = cs.getPropertyValue(p).trim();
      if (v && !OWN_DEFAULT[p].includes(v)) explicit[p] = v;
    }
    for (const attr of [...to.attributes]) {
      const name = attr.name;
      if (DROPPED.has(name) || name.startsWith('data-') || name.startsWith('on')) to.removeAttribute(name);
      else if (attr.value.includes('var(')) {
        // A presentation attribute written with a variable: the computed value replaces it; any other is dropped.
        const v = cs.getPropertyValue(name).trim();
        if (v && !v.includes('var(')) to.setAttribute(name, v);
        else to.removeAttribute(name);
      }
    }
    for (const [p, v] of Object.entries(explicit)) to.setAttribute(p, v);
    // Text drawn uppercase by CSS keeps its look without the stylesheet.
    if (cs.getPropertyValue('text-transform') === 'uppercase') {
      for (const n of to.childNodes) if (n.nodeType === 3) n.nodeValue = (n.nodeValue ?? '').toUpperCase();
    }
    const a = from.children;
    const b = to.children;
    for (let i = 0; i < a.length && i < b.length; i++) walk(a[i]!, b[i]!, cs);
  };
  walk(live, copy, null);
  for (const el of removed) el.remove();
  prefixIds(copy, prefix);
  return copy;
}

/** Rename every id under `root` to `prefix + id` and every reference to it (url(#…), href="#…"). */
export function prefixIds(root: Element, prefix: string): void {
  const ids = new Map<string, string>();
  const all = [root, ...root.querySelectorAll('*')];
  for (const el of all) {
    const id = el.getAttribute('id');
    if (id) ids.set(id, `${prefix}${id}`);
  }
  if (ids.size === 0) return;
  for (const el of all) {
    for (const attr of [...el.attributes]) {
      if (attr.name === 'id') el.setAttribute('id', ids.get(attr.value)!);
      else if ((attr.name === 'href' || attr.name === 'xlink:href') && attr.value.startsWith('#')) {
        const renamed = ids.get(attr.value.slice(1));
        if (renamed) el.setAttribute(attr.name, `#${renamed}`);
      } else if (attr.value.includes('url(')) el.setAttribute(attr.name, rewriteUrls(attr.value, ids));
    }
  }
}

/** One column of the exported picture: a heading and the view's SVGs, top to bottom. */
export interface ExportColumn {
  heading: string;
  svgs: SVGSVGElement[];
}

export interface ExportMeta {
  /** `<title>`: what the picture is. */
  title: string;
  /** `<desc>`: the scenario title, kernel and step. */
  desc: string;
  /** The shareable link that reopens this picture, in `<metadata>`. */
  link: string;
  /** Concrete colours and font for the frame around the views. */
  background: string;
  ink: string;
  inkSoft: string;
  fontFamily: string;
}

const PAD = 16;
const GAP = 24;
const STACK_GAP = 8;
const HEADING_H = 22;
const CAPTION_H = 34;

function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  const num = (name: string) => {
    const v = svg.getAttribute(name);
    return v && /^[\d.]+$/.test(v) ? Number(v) : NaN;
  };
  let width = num('width');
  let height = num('height');
  if (!(width > 0) || !(height > 0)) {
    const vb = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
    width = vb[2] ?? 0;
    height = vb[3] ?? 0;
  }
  return { width: Math.max(1, Math.ceil(width)), height: Math.max(1, Math.ceil(height)) };
}

function el(doc: Document, name: string, attrs: Record<string, string | number> = {}, text?: string): Element {
  const e = doc.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The whole exported picture: a caption line (the desc), then the columns side by side, each under its
 * heading. `columns` hold already inlined SVGs (inlineSvg). Returns the document and its size in px.
 */
export function composePicture(doc: Document, columns: ExportColumn[], meta: ExportMeta): { svg: SVGSVGElement; width: number; height: number } {
  const sized = columns.map((c) => {
    const sizes = c.svgs.map(sizeOf);
    return {
      c,
      sizes,
      width: Math.max(120, ...sizes.map((s) => s.width)),
      height: HEADING_H + sizes.reduce((n, s) => n + s.height, 0) + STACK_GAP * Math.max(0, sizes.length - 1),
    };
  });
  const width = Math.ceil(PAD * 2 + sized.reduce((n, s) => n + s.width, 0) + GAP * Math.max(0, sized.length - 1));
  const height = Math.ceil(PAD * 2 + CAPTION_H + Math.max(0, ...sized.map((s) => s.height)));
  const root = el(doc, 'svg', { width, height, viewBox: `0 0 ${width} ${height}`, version: '1.1' }) as SVGSVGElement;
  root.setAttribute('xmlns', SVG_NS);
  root.appendChild(el(doc, 'title', {}, meta.title));
  root.appendChild(el(doc, 'desc', {}, meta.desc));
  root.appendChild(metadata(doc, meta));
  root.appendChild(el(doc, 'rect', { width, height, fill: meta.background }));
  const frame = el(doc, 'g', { 'font-family': meta.fontFamily });
  root.appendChild(frame);
  frame.appendChild(el(doc, 'text', { x: PAD, y: PAD + 14, fill: meta.ink, 'font-size': 15, 'font-weight': 600 }, meta.title));
  frame.appendChild(el(doc, 'text', { x: PAD, y: PAD + 30, fill: meta.inkSoft, 'font-size': 12 }, meta.desc));
  let x = PAD;
  for (const s of sized) {
    const col = el(doc, 'g', { transform: `translate(${x},${PAD + CAPTION_H})` });
    col.appendChild(el(doc, 'text', { x: 0, y: 14, fill: meta.inkSoft, 'font-size': 12, 'font-weight': 600, 'letter-spacing': '0.04em' }, s.c.heading.toUpperCase()));
    let y = HEADING_H;
    s.c.svgs.forEach((svg, i) => {
      const size = s.sizes[i]!;
      svg.setAttribute('x', '0');
      svg.setAttribute('y', String(y));
      svg.setAttribute('width', String(size.width));
      svg.setAttribute('height', String(size.height));
      svg.removeAttribute('xmlns');
      col.appendChild(svg);
      y += size.height + STACK_GAP;
    });
    frame.appendChild(col);
    x += s.width + GAP;
  }
  return { svg: root, width, height };
}

function metadata(doc: Document, meta: ExportMeta): Element {
  // Dublin Core in RDF is what Inkscape shows as the document's metadata; pinscope:link is for pinscope itself.
  const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
  const DC = 'http://purl.org/dc/elements/1.1/';
  const CC = 'http://creativecommons.org/ns#';
  const m = el(doc, 'metadata');
  const rdf = doc.createElementNS(RDF, 'rdf:RDF');
  const work = doc.createElementNS(CC, 'cc:Work');
  work.setAttributeNS(RDF, 'rdf:about', '');
  for (const [name, value] of [
    ['dc:title', meta.title],
    ['dc:description', meta.desc],
    ['dc:source', meta.link],
  ] as const) {
    const e = doc.createElementNS(DC, name);
    e.textContent = value;
    work.appendChild(e);
  }
  rdf.appendChild(work);
  m.appendChild(rdf);
  const link = doc.createElementNS(PINSCOPE_NS, 'pinscope:link');
  link.textContent = meta.link;
  m.appendChild(link);
  return m;
}

/** The namespace of pinscope's own element in an exported SVG's metadata. */
export const PINSCOPE_NS = 'urn:pinscope:export:1';

/** The link an exported SVG carries, or null. */
export function linkOfSvg(text: string): string | null {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return null;
  // Looked up by namespace and local name, whatever prefix the file's writer chose (an editor may rename it).
  const found = [...doc.getElementsByTagName('*')].find((e) => e.namespaceURI === PINSCOPE_NS && e.localName === 'link');
  return found?.textContent?.trim() || null;
}

export function serialize(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}
