import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { folioHistory } from './history';
import { WhyView } from './WhyView';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const builtin = (name: string) => runOf(readFileSync(`scenarios/builtin/${name}`, 'utf8'));
const pretty = (html: string) => `${html.replace(/></g, '>\n<')}\n`;
const field = (html: string, name: string) => new RegExp(`data-field="${name}"[^>]*>([^<]*)<`).exec(html)?.[1];

function render(run: Run, folioId: number, step: number): string {
  const folio = run.catalog.folios.find((f) => f.id === folioId)!;
  const h = folioHistory(run, folioId);
  const series = h.series;
  const lastChange = h.lastChange(step);
  const view = run.snapshot(step).folios.find((f) => f.id === folioId);
  return renderToStaticMarkup(
    <WhyView folio={folio} view={view} step={step} lastStep={run.lastStep} series={series} lastChange={lastChange} close={{ label: 'Close the folio details', keyLabel: 'Esc' }} onJump={() => {}} onClose={() => {}} />,
  );
}

describe('WhyView (HTML/SVG snapshots)', () => {
  const zeroWrite = builtin('01-dio-write-zero-page.scn');
  const vfio = builtin('03-vfio-zero-page.scn');
  const zeroOf = (run: Run) => run.catalog.folios.find((f) => f.kind === 'zero')!.id;

  it('zero page with four bio references: the counters and the table agree with the snapshot', async () => {
    const step = 30;
    const snap = zeroWrite.snapshot(step).folios.find((f) => f.kind === 'zero')!;
    const html = render(zeroWrite, snap.id, step);
    expect(field(html, 'refcount')).toBe(String(snap.refcount));
    expect(field(html, 'mapcount')).toBe(String(snap.mapcount));
    expect(field(html, 'pincount')).toBe(String(snap.pincount));
    expect(field(html, 'held')).toBe(String(snap.refcount));
    expect(html).toContain('data-holder="bio:bio#1"');
    expect(html).toContain('sum = refcount');
    expect(html).toContain('data-scale="linear"');
    // The references were last changed by the fourth FOLL_GET, at step 25.
    expect(html).toContain('data-step="25"');
    expect(html).toContain('step 25</span>');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/why-zero-write-30.svg.html');
  });

  it('vfio at the end: the leaked pins in red, naming the vfio mapping that should have released them', async () => {
    const id = zeroOf(vfio);
    const html = render(vfio, id, vfio.lastStep);
    const snap = vfio.snapshot(vfio.lastStep).folios.find((f) => f.id === id)!;
    expect(field(html, 'refcount')).toBe(snap.refcount.toString());
    expect(html).toContain('<tr class="leak" data-holder="leak:vfio:dma">');
    expect(html).toContain('vfio mapping dma should have released them');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/why-vfio-end.svg.html');
  });

  it('at the step that changed it, the jump button is disabled and says so', () => {
    const html = render(zeroWrite, zeroOf(zeroWrite), 25);
    expect(html).toMatch(/<button type="button" data-step="25" disabled="">/);
    expect(html).toContain('this step (25) changed it');
  });

  it('an overflowed zero page: symlog chart, wrapped sum explained', async () => {
    const overflow = runOf(['title Overflow', 'kernel v6.1', 'mmap buf 4K', 'read buf', 'repeat 2097152', 'pin buf 0 4K', 'end'].join('\n'));
    const id = zeroOf(overflow);
    const html = render(overflow, id, overflow.lastStep);
    expect(html).toContain('data-scale="symlog"');
    expect(field(html, 'refcount')).toBe('-2,147,483,647');
    expect(html).toContain('sum = refcount mod 2³²');
    expect(html).toContain('The 32-bit refcount wrapped');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/why-overflow-end.svg.html');
  });

  it('a folio that does not exist yet: no counters, still its chart', () => {
    const run = builtin('02-legacy-subblock-zeroing.scn');
    const anon = run.catalog.folios.find((f) => f.kind === 'anon')!;
    const html = render(run, anon.id, 0);
    expect(html).toContain('Not allocated at step 0.');
    expect(html).not.toContain('data-field="refcount"');
    expect(html).toContain('class="why-line"');
  });
});
