// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { composePicture, inlineSvg, linkOfSvg, rewriteUrls, serialize, type StyleSource } from './svg';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A stand-in for the browser's computed style: what Chromium reports for this markup once theme.css is
 * applied (variables resolved, classes applied, inherited values passed down). happy-dom does not lay out or
 * cascade SVG, so the test states the computed values and checks what the inliner makes of them.
 */
function fakeStyles(byClass: Record<string, Record<string, string>>): StyleSource {
  const inherited = ['fill', 'stroke', 'stroke-width', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'];
  const base: Record<string, string> = { fill: 'rgb(0, 0, 0)', stroke: 'none', 'stroke-width': '1px', 'font-family': 'system-ui', 'font-size': '16px', 'font-weight': '400', opacity: '1', display: 'inline' };
  const computed = (el: Element): Record<string, string> => {
    const parent = el.parentElement && el.parentElement.namespaceURI === SVG_NS ? computed(el.parentElement) : base;
    const own: Record<string, string> = { opacity: '1', display: 'inline' };
    for (const p of inherited) own[p] = parent[p]!;
    for (const c of el.classList) Object.assign(own, byClass[c]);
    // A presentation attribute or inline style written with a variable resolves to the theme's colour.
    const fill = el.getAttribute('fill') ?? '';
    if (fill.startsWith('url(')) own.fill = `url("http://localhost/#${fill.slice(5, -1)}")`;
    else if (fill.includes('var(--kind-zero)') || (el.getAttribute('style') ?? '').includes('var(--kind-zero)')) own.fill = 'rgb(232, 163, 23)';
    return own;
  };
  return { getComputedStyle: (el) => ({ getPropertyValue: (p: string) => computed(el)[p] ?? '' }) as unknown as CSSStyleDeclaration };
}

function liveSvg(): SVGSVGElement {
  document.body.innerHTML = `<svg xmlns="${SVG_NS}" class="memory-svg" width="200" height="100" viewBox="0 0 200 100" role="group" aria-label="Physical memory">
    <defs><pattern id="hatch-zero" width="7" height="7"><rect width="7" height="7" style="fill: var(--kind-zero)" opacity="0.16"/></pattern></defs>
    <g class="mb" tabindex="0" data-folio="3">
      <rect class="mb-box" x="0" y="0" width="90" height="40" fill="url(#hatch-zero)"/>
      <text class="mb-caption" x="4" y="12">refcount</text>
      <text class="mb-ref" x="4" y="30">5</text>
      <text class="mb-hidden" x="4" y="30">gone</text>
    </g>
  </svg>`;
  return document.querySelector('svg')!;
}

const STYLES = fakeStyles({
  'memory-svg': { 'font-family': 'Inter, sans-serif', 'font-size': '10.8333px', fill: 'rgb(29, 31, 35)' },
  'mb-box': { stroke: 'rgb(217, 219, 224)', 'stroke-width': '1.5px' },
  'mb-caption': { 'font-size': '9px', fill: 'rgb(100, 106, 118)', 'text-transform': 'uppercase' },
  'mb-ref': { 'font-size': '18px', 'font-weight': '700' },
  'mb-hidden': { display: 'none' },
});

describe('the SVG inliner', () => {
  it('writes computed values as attributes, with no class, style or var( left', () => {
    const copy = inlineSvg(liveSvg(), 'x0-', STYLES);
    const text = new XMLSerializer().serializeToString(copy);
    expect(text).not.toContain('var(');
    expect(text).not.toMatch(/\sclass=|\sstyle=|tabindex|data-folio/);
    expect(copy.getAttribute('font-family')).toBe('Inter, sans-serif');
    const [caption, ref] = [...copy.querySelectorAll('text')];
    expect(caption!.getAttribute('font-size')).toBe('9px');
    expect(caption!.getAttribute('fill')).toBe('rgb(100, 106, 118)');
    // Uppercase by CSS becomes uppercase text; inherited values are not repeated where they do not change.
    expect(caption!.textContent).toBe('REFCOUNT');
    expect(ref!.getAttribute('font-weight')).toBe('700');
    expect(ref!.hasAttribute('font-family')).toBe(false);
    expect(copy.querySelectorAll('text')).toHaveLength(2);
    expect(copy.querySelector('pattern rect')!.getAttribute('fill')).toBe('rgb(232, 163, 23)');
    expect(copy.querySelector('pattern rect')!.getAttribute('opacity')).toBe('0.16');
    // The live document is left as it was.
    expect(document.querySelector('.mb-caption')!.textContent).toBe('refcount');
  });

  it('prefixes ids and the references to them, so two views of the same hatching stay apart', () => {
    const a = inlineSvg(liveSvg(), 'x0-', STYLES);
    const b = inlineSvg(liveSvg(), 'x1-', STYLES);
    expect(a.querySelector('pattern')!.id).toBe('x0-hatch-zero');
    expect(b.querySelector('pattern')!.id).toBe('x1-hatch-zero');
    expect(a.querySelector('.mb-box, rect[x="0"][width="90"]')!.getAttribute('fill')).toBe('url(#x0-hatch-zero)');
    expect(rewriteUrls('url("http://h/p?q#hatch-zero")', new Map([['hatch-zero', 'x2-hatch-zero']]))).toBe('url(#x2-hatch-zero)');
    expect(rewriteUrls('url(#other)', new Map([['hatch-zero', 'x2-hatch-zero']]))).toBe('url(#other)');
  });

  it('composes views side by side under a title, a desc and the link in metadata', () => {
    const views = [inlineSvg(liveSvg(), 'x0-', STYLES), inlineSvg(liveSvg(), 'x1-', STYLES)];
    const link = 'http://127.0.0.1/#v=2&t=7&s=abc';
    const { svg, width, height } = composePicture(document, [{ heading: 'Memory', svgs: [views[0]!] }, { heading: 'Refcount graph', svgs: [views[1]!] }], {
      title: 'pinscope: O_DIRECT write',
      desc: 'O_DIRECT write, kernel v6.4, step 7 of 20',
      link,
      background: 'rgb(255, 255, 255)',
      ink: 'rgb(29, 31, 35)',
      inkSoft: 'rgb(85, 91, 105)',
      fontFamily: 'system-ui',
    });
    expect(width).toBe(16 * 2 + 200 * 2 + 24);
    expect(height).toBe(16 * 2 + 34 + 22 + 100);
    const text = serialize(svg);
    expect(text).not.toContain('var(');
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.getAttribute('viewBox')).toBe(`0 0 ${width} ${height}`);
    expect(root.querySelector('title')!.textContent).toBe('pinscope: O_DIRECT write');
    expect(root.querySelector('desc')!.textContent).toBe('O_DIRECT write, kernel v6.4, step 7 of 20');
    expect(root.querySelector('metadata')).not.toBeNull();
    expect(linkOfSvg(text)).toBe(link);
    const nested = [...root.children].flatMap((c) => [...c.querySelectorAll('svg')]);
    expect(nested.map((s) => s.getAttribute('y'))).toEqual(['22', '22']);
    expect(new Set([...root.querySelectorAll('pattern')].map((p) => p.id)).size).toBe(2);
    expect(linkOfSvg('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBeNull();
  });
});
