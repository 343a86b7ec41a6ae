import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunView as Run } from '../../store/runView';
import { MemoryView } from './MemoryView';
import { MemoryLegend } from './MemoryPanel';
import { frameModel, layoutFrames } from './layout';
import { BUILTIN, runText, onKernel } from './testing';

const read = (path: string) => readFileSync(path, 'utf8');

function render(run: Run, step: number, opts: { selected?: number | null; columns?: number } = {}) {
  const snapshot = run.snapshotAt(step);
  const model = frameModel(run.catalog, run.events);
  const layout = layoutFrames(model, opts.columns ?? 4, 150);
  const html = renderToStaticMarkup(
    <MemoryView
      model={model}
      layout={layout}
      folios={snapshot.folios}
      step={snapshot.step}
      rows={[0, layout.rows]}
      eventFolio={snapshot.event?.folio}
      selected={opts.selected ?? null}
      onSelect={() => {}}
    />,
  );
  return { html, snapshot, layout };
}

/** The text of every element carrying data-folio=id and data-field=field. */
function fields(html: string, field: string): Map<number, string> {
  const out = new Map<number, string>();
  const re = new RegExp(`<(?:text|tspan|g)[^>]*data-folio="(\\d+)"[^>]*data-field="${field}"[^>]*>([^<]*)<`, 'g');
  for (const m of html.matchAll(re)) out.set(Number(m[1]), m[2]!);
  return out;
}

describe('MemoryView SVG', () => {
  it('draws the zero page in a DIO write bio: refcount 5 = 1 + 4, highlighted as the event’s folio', async () => {
    const run = runText(read(BUILTIN.dioWrite));
    const { html, snapshot } = render(run, 30);
    expect(snapshot.event?.folio).toBe(snapshot.zeroFolio);
    const refcounts = fields(html, 'refcount');
    for (const f of snapshot.folios) expect(refcounts.get(f.id)).toBe(String(f.refcount));
    expect(refcounts.get(snapshot.zeroFolio)).toBe('5');
    expect(fields(html, 'mapcount').get(snapshot.zeroFolio)).toBe('0');
    // The huge zero folio is large: it shows its pincount.
    expect(fields(html, 'pincount').get(snapshot.hugeZeroFolio)).toBe('0');
    expect(fields(html, 'pincount').has(snapshot.zeroFolio)).toBe(false);
    // Unmistakable: hatching, a label, and the ring of the current event.
    expect(html).toContain('url(#mem-hatch-zero)');
    expect(html).toContain('url(#mem-hatch-hugezero)');
    expect(html).toContain('ZERO PAGE');
    expect(html).toContain('HUGE ZERO');
    expect(html).toMatch(new RegExp(`class="mb mb-zero mb-alive mb-event"[^>]*data-folio="${snapshot.zeroFolio}"`));
    expect(html).toContain('= 1 + 4');
    expect(html).toContain('data-kind="bio" data-refs="4"');
    await expect(html).toMatchFileSnapshot('__snapshots__/memory-dio-write-step30.svg.html');
  });

  it('draws pinned fresh anon folios of a DIO read, and empty slots for folios not allocated yet', async () => {
    const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
    const { html, snapshot } = render(run, 30, { selected: 3 });
    const f3 = snapshot.folios.find((f) => f.id === 3)!;
    expect(f3.refcount).toBe(1025);
    expect(fields(html, 'refcount').get(3)).toBe('1025');
    expect(fields(html, 'exclusive').has(3)).toBe(true);
    expect(fields(html, 'pinned').has(3)).toBe(true);
    expect(html).toMatch(/class="mb mb-anon mb-alive mb-selected"[^>]*data-folio="3"/);
    expect(html.match(/data-state="unborn"/g)).toHaveLength(3);
    expect(html).toContain('= 1 + 1024');
    // 512 page ticks on the huge zero folio, compressed.
    expect(html).toContain('512 pages');
    await expect(html).toMatchFileSnapshot('__snapshots__/memory-dio-read-step30.svg.html');
  });

  it('draws the leak at the end of the vfio scenario in red', async () => {
    const run = runText(read(BUILTIN.vfio));
    const { html, snapshot } = render(run, run.lastStep);
    const zero = snapshot.folios.find((f) => f.id === snapshot.zeroFolio)!;
    expect(fields(html, 'refcount').get(zero.id)).toBe(String(zero.refcount));
    const leaked = zero.holders.filter((h) => h.leaked).reduce((n, h) => n + h.refs, 0);
    expect(leaked).toBeGreaterThan(0);
    expect(html).toContain(`data-kind="leak" data-refs="${leaked}"`);
    expect(html).toContain('fill:var(--leak)');
    await expect(html).toMatchFileSnapshot('__snapshots__/memory-vfio-end.svg.html');
  });

  it('draws freed folios as outlines in their slots', async () => {
    const run = runText('title t\nmmap a 8K\nwrite a\nmark gone\nmunmap a\n');
    const { html } = render(run, run.lastStep, { columns: 3 });
    expect(html.match(/data-state="freed"/g)).toHaveLength(2);
    expect(html).toContain('>freed<');
    await expect(html).toMatchFileSnapshot('__snapshots__/memory-freed.svg.html');
  });

  it('draws a pinned THP as one wide block with its pincount', async () => {
    const run = runText('title thp\nmmap m 2M thp\nwrite m\nmark pin\npin p m 0 8K write longterm\n');
    const { html, snapshot } = render(run, run.lastStep);
    const thp = snapshot.folios.find((f) => f.kind === 'anon' && f.order === 9)!;
    expect(thp.pincount).toBe(2);
    expect(fields(html, 'pincount').get(thp.id)).toBe('2');
    expect(fields(html, 'refcount').get(thp.id)).toBe(String(thp.refcount));
    expect(html).toContain('order 9');
    await expect(html).toMatchFileSnapshot('__snapshots__/memory-thp-pinned.svg.html');
  });

  it('draws only the rows it is given', () => {
    const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
    const snapshot = run.snapshotAt(run.lastStep);
    const model = frameModel(run.catalog, run.events);
    const layout = layoutFrames(model, 2);
    const html = renderToStaticMarkup(
      <MemoryView model={model} layout={layout} folios={snapshot.folios} step={snapshot.step} rows={[1, 2]} selected={null} onSelect={() => {}} />,
    );
    expect(layout.rows).toBeGreaterThan(2);
    const drawn = [...html.matchAll(/<g class="mb [^"]*"[^>]*data-folio="(\d+)"/g)].map((m) => Number(m[1]));
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThanOrEqual(2);
    expect(drawn).not.toContain(snapshot.zeroFolio);
  });

  it('has a legend naming the kinds and the holder kinds of the run', () => {
    const run = runText(read(BUILTIN.subblock));
    const html = renderToStaticMarkup(<MemoryLegend catalog={run.catalog} />);
    for (const text of ['shared zero page', 'huge zero folio', 'anonymous', 'freed', 'not yet', 'bio', 'dio', 'mapping', 'kernel']) expect(html).toContain(text);
    expect(html).not.toContain('page cache');
  });
});
