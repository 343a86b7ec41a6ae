import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunView as Run } from '../../store/runView';
import { bornTest, frameModel } from '../memory/layout';
import { BUILTIN, runText, onKernel } from '../memory/testing';
import { EDGE_LABEL_CHAR_W, RefGraphView, edgeLabelText } from './RefGraphView';
import { catalogSlots, graphAt, graphGeometry } from './layout';

const read = (path: string) => readFileSync(path, 'utf8');

function render(run: Run, step: number, selected: number | null = null) {
  const snapshot = run.snapshotAt(step);
  const geo = graphGeometry(720);
  const model = frameModel(run.catalog, run.events);
  const pic = graphAt(catalogSlots(run.catalog), geo, snapshot, { selected, born: bornTest(model, snapshot.folios, step) });
  const html = renderToStaticMarkup(<RefGraphView picture={pic} geo={geo} onSelect={() => {}} />);
  return { html, snapshot, pic };
}

function refcounts(html: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of html.matchAll(/<tspan class="gf-refcount" data-folio="(\d+)" data-field="refcount"[^>]*>([^<]*)</g)) out.set(Number(m[1]), m[2]!);
  return out;
}

/** The visible sum line of a folio node: its terms and total, as text. */
function sumLine(html: string, folio: number): string {
  const node = new RegExp(`<g class="gf [^"]*"[^>]*data-folio="${folio}"[\\s\\S]*?<text class="gf-sum"[^>]*>([\\s\\S]*?)</text>`).exec(html);
  return (node?.[1] ?? '').replace(/<[^>]+>/g, '');
}

describe('RefGraphView SVG', () => {
  it('draws a DIO write: bio#1 holds the zero page 4 times, 4 + 1 = 5', async () => {
    const run = runText(read(BUILTIN.dioWrite));
    const { html, snapshot } = render(run, 30);
    for (const f of snapshot.folios) expect(refcounts(html).get(f.id)).toBe(String(f.refcount));
    // Terms follow the ports top to bottom: the kernel's reserved reference (its holder now on top), then the bio's.
    expect(sumLine(html, snapshot.zeroFolio)).toBe('1 + 4 = 5');
    expect(html).toContain('data-edge="bio:bio#1→1" data-refs="4"');
    expect(html).toContain('>×4<');
    // Edges are d3 links (cubic Béziers).
    expect(html).toMatch(/<path class="edge edge-bio edge-current"[^>]* d="M[\d.]+,[\d.]+C/);
    expect(html).toContain('url(#graph-hatch-zero)');
    expect(html).toMatch(/class="gf gf-zero gf-alive gf-current"/);
    await expect(html).toMatchFileSnapshot('__snapshots__/graph-dio-write-step30.svg.html');
  });

  it('draws a pinned DIO read: 1 + 1024 = 1025 with a thick pin edge', async () => {
    const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
    const { html, pic } = render(run, 30, 3);
    expect(sumLine(html, 3)).toBe('1 + 1024 = 1025');
    const pin = pic.edges.find((e) => e.folio === 3 && e.pins === 1)!;
    const map = pic.edges.find((e) => e.folio === 3 && e.kind === 'map')!;
    expect(pin.label).toBe('1024');
    expect(pin.width).toBeGreaterThan(map.width * 3);
    expect(html).toContain('>1024<');
    expect(html).toMatch(/class="gf gf-anon gf-alive gf-selected"[^>]*data-folio="3"/);
    expect(html.match(/data-state="unborn"/g)).toHaveLength(3);
    expect(html).toContain('edge-dim');
    await expect(html).toMatchFileSnapshot('__snapshots__/graph-dio-read-step30-selected.svg.html');
  });

  it('draws the vfio leak in red with the holder that should have released it', async () => {
    const run = runText(read(BUILTIN.vfio));
    const { html, snapshot } = render(run, run.lastStep);
    const zero = snapshot.folios.find((f) => f.id === snapshot.zeroFolio)!;
    const leaked = zero.holders.find((h) => h.leaked)!;
    expect(refcounts(html).get(zero.id)).toBe(String(zero.refcount));
    expect(sumLine(html, zero.id)).toBe(`1 + ${leaked.refs} = ${zero.refcount}`);
    expect(html).toMatch(/<path class="edge edge-leak"[^>]*style="stroke:var\(--leak\)"/);
    expect(html).toContain('leaked by vfio dma');
    expect(html).toContain('leaked: owner gone');
    expect(html).toMatch(/class="gh gh-vfio gh-idle"/);
    await expect(html).toMatchFileSnapshot('__snapshots__/graph-vfio-end.svg.html');
  });

  it('draws sub-block zeroing: the zero page as the dio’s current page', async () => {
    const run = runText(read(BUILTIN.subblock));
    const { html, snapshot } = render(run, 30);
    expect(sumLine(html, snapshot.zeroFolio)).toBe('1 + 1 = 2');
    expect(html).toContain('data-edge="diocur:dio#1→1"');
    expect(html).toContain('dio#1 current page');
    await expect(html).toMatchFileSnapshot('__snapshots__/graph-subblock-step30.svg.html');
  });

  it('says "leaked" on a leaked edge label only where the words clear the holder column', () => {
    const geo = { holderX: 8, holderW: 132 };
    const edge = (tx: number, leaked = true) => ({ label: '3×1024', leaked, tx });
    // "3×1024 leaked" is 13 characters: 78 units from tx − 7 back.
    expect(edgeLabelText(edge(8 + 132 + 7 + 78), geo, EDGE_LABEL_CHAR_W)).toBe('3×1024 leaked');
    expect(edgeLabelText(edge(8 + 132 + 7 + 77), geo, EDGE_LABEL_CHAR_W)).toBe('3×1024');
    expect(edgeLabelText(edge(180, false), geo, EDGE_LABEL_CHAR_W)).toBe('3×1024');
  });
});
