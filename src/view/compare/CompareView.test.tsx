import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { divergences } from '../../store/compare';
import { alignedStep } from '../../store/navigation';
import { CompareView, alignmentCaption, type CompareTab } from './CompareView';
import { folioDiffs } from './diff';
import { DIO_WRITE, runUnder } from './testing';

const read = (path: string) => readFileSync(path, 'utf8');

const noop = () => {};

function render(stepOf: (chapters: readonly { step: number }[], last: number) => number, initialTab?: CompareTab) {
  const { run: a, text } = runUnder(read(DIO_WRITE), 'v6.4');
  const b = runUnder(read(DIO_WRITE), 'v6.5').run;
  const step = stepOf(a.chapters, a.lastStep);
  const snapA = a.snapshotAt(step);
  const snapB = b.snapshotAt(alignedStep(a, step, b));
  const html = renderToStaticMarkup(
    <CompareView
      source={text}
      a={{ label: a.kernel.label, catalog: a.catalog, events: a.events, snapshot: snapA }}
      b={{ label: b.kernel.label, catalog: b.catalog, events: b.events, snapshot: snapB }}
      error={null}
      diffs={folioDiffs(snapA.folios, snapB.folios)}
      divergences={divergences(a, b)}
      selected={null}
      onSelect={noop}
      onSeek={noop}
      onExit={noop}
      width={600}
      {...(initialTab ? { initialTab } : {})}
    />,
  );
  const at = html.indexOf('data-side="b"');
  return { html, left: html.slice(0, at), right: html.slice(at), zero: snapA.folios.find((f) => f.kind === 'zero')!.id, step, stepB: snapB.step };
}

describe('CompareView', () => {
  it('in flight: the zero page is 5 on v6.4 and 1 on v6.5, ringed on both sides with the other side’s value', async () => {
    const { html, left, right, zero, step, stepB } = render((c) => c[2]!.step - 1);
    const ref = (side: string) => new RegExp(`data-folio="${zero}" data-field="refcount" data-value="(\\d+)"`).exec(side)?.[1];
    expect(ref(left)).toBe('5');
    expect(ref(right)).toBe('1');
    expect(left).toContain(`data-folio="${zero}" data-diff="refcount" data-side="a" data-other="1"`);
    expect(right).toContain(`data-folio="${zero}" data-diff="refcount" data-side="b" data-other="5"`);
    expect(html.match(/class="cmp-diff"/g)).toHaveLength(2);
    expect(html).toContain('1 folio differs at this step');
    expect(left).toContain(`main run · step ${step}`);
    expect(right).toContain(`step ${stepB} (end of the same statement)`);
    expect(html).toContain('Runs diverge first at line 19 (`dio write out 0 16K buf`): zero page refcount 5 (v6.4) vs 1 (v6.5)');
    expect(html).toContain(`aria-current="step" data-step="${step}"`);
    await expect(html).toMatchFileSnapshot('__snapshots__/compare-inflight.svg.html');
  });

  it('at the end: same counters, no marks, and the divergence list is still there', async () => {
    const { html } = render((_, last) => last);
    expect(html).not.toContain('class="cmp-diff"');
    expect(html).toContain('same counters at this step');
    expect(html).toContain('class="compare-list"');
    await expect(html).toMatchFileSnapshot('__snapshots__/compare-end.svg.html');
  });

  it('shows every view for both kernels, one tab at a time, and names the divergences in a one-line strip', () => {
    const views: Record<CompareTab, string> = { memory: 'class="memory-svg"', graph: 'class="graph-svg"', pagetables: 'class="pt-walk', blockio: 'class="bio-view"' };
    for (const [tab, marker] of Object.entries(views) as [CompareTab, string][]) {
      const { html, left, right } = render((c) => c[2]!.step - 1, tab);
      expect(left).toContain(marker);
      expect(right).toContain(marker);
      expect(html).toContain(`data-tab="${tab}" class="compare-tab" aria-selected="true"`);
      const hidden = Object.entries(views).filter(([other]) => other !== tab).map(([, m]) => m);
      for (const m of hidden) expect(html).not.toContain(m);
    }
    const { html } = render((c) => c[2]!.step - 1);
    expect(html).toMatch(/<nav class="compare-divergences"[^>]*>.*class="compare-list"/);
    expect(html).toContain('title="line 19: dio write out 0 16K buf: zero page refcount 5 (v6.4) vs 1 (v6.5)"');
  });
});

describe('alignmentCaption', () => {
  it('says where the compare step stands in the statement', () => {
    expect(alignmentCaption(12, { step: 12, kind: 'event', index: 2, count: 5 })).toBe('step 12 (event 2 of 5 of the same statement)');
    expect(alignmentCaption(14, { step: 14, kind: 'end' })).toBe('step 14 (end of the same statement)');
    expect(alignmentCaption(9, { step: 9, kind: 'none' })).toBe('step 9 (the statement made no event here)');
    expect(alignmentCaption(3, undefined)).toBe('step 3 (end of the same statement)');
  });
});
