import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run, type SimEvent } from '../../core';
import { buildTimelineModel, type TimelineModel } from './layout';
import { TimelineView } from './TimelineView';
import { TRANSPORT_TITLES as TITLES } from './Timeline';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const builtin = (name: string) => runOf(readFileSync(`scenarios/builtin/${name}`, 'utf8'));
const pretty = (html: string) => `${html.replace(/></g, '>\n<')}\n`;
const count = (html: string, needle: string) => html.split(needle).length - 1;
const markers = (html: string) => [...html.matchAll(/class="tl-marker( past)?"/g)].length;
const attr = (html: string, re: RegExp) => re.exec(html)?.[1];

const noop = () => {};

function render(model: TimelineModel, step: number, opts: { width?: number; playing?: boolean; speed?: number } = {}): string {
  return renderToStaticMarkup(
    <TimelineView
      model={model}
      width={opts.width ?? 1000}
      step={step}
      playing={opts.playing ?? false}
      speed={opts.speed ?? 8}
      titles={TITLES}
      onCommand={noop}
      onScrub={noop}
      onSliderKey={noop}
      onSeek={noop}
      onSpeed={noop}
    />,
  );
}

describe('TimelineView (SVG/HTML snapshots)', () => {
  const zeroWrite = builtin('01-dio-write-zero-page.scn');
  const vfio = builtin('03-vfio-zero-page.scn');

  it('zero-page write at step 30: a tick per event, three chapters, the handle in chapter 2', async () => {
    const model = buildTimelineModel(zeroWrite);
    const html = render(model, 30);
    expect(html).toContain('role="slider"');
    expect(attr(html, /aria-valuenow="(\d+)"/)).toBe('30');
    expect(attr(html, /aria-valuemax="(\d+)"/)).toBe('47');
    expect(html).toContain('aria-valuetext="step 30 of 47, chapter 2: O_DIRECT write: the zero page goes into a bio"');
    expect(html).toContain('data-mode="ticks"');
    // Every event has a tick: 47 segments over the two tick paths.
    const ticks = [...html.matchAll(/class="tl-ticks[^"]*" d="([^"]*)"/g)].map((m) => m[1]!);
    expect(ticks.reduce((n, d) => n + count(d, 'M'), 0)).toBe(47);
    expect(count(html, 'class="tl-flag ')).toBe(3);
    expect(count(html, 'tl-flag right current')).toBe(1);
    expect(html).toContain('step <strong>30</strong> / 47');
    expect(html).toContain('2/3');
    expect(markers(html)).toBe(0);
    expect(count(html, 'data-command=')).toBe(9);
    expect(html).toContain('title="Next event (→)"');
    expect(html).toContain('aria-label="Next event"');
    expect(html).toContain('title="Previous statement (Shift+←)"');
    expect(html).toContain('aria-label="Play"');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/timeline-zero-write-30.svg.html');
  });

  it('vfio at step 44: the first leak is past (solid), the second still ahead', async () => {
    const model = buildTimelineModel(vfio);
    const html = render(model, 44, { playing: true, speed: 16 });
    expect(count(html, 'class="tl-marker past"')).toBe(1);
    expect(count(html, 'class="tl-marker"')).toBe(1);
    expect(html).toContain('data-step="43"');
    expect(html).toContain('data-step="51"');
    expect(html).toContain('aria-label="Pause"');
    expect(html).toContain('aria-pressed="true"');
    expect(html).toMatch(/<option value="16" selected="">16\/s<\/option>/);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/timeline-vfio-44.svg.html');
  });

  it('at step 0 the back buttons are at their edge and no chapter has started', () => {
    const html = render(buildTimelineModel(zeroWrite), 0);
    expect(count(html, 'aria-disabled="true"')).toBe(4);
    expect(html).toContain('before the first chapter');
  });

  it('an overflow run: the elided span drawn hatched, failed expectation and wrap as markers', async () => {
    const overflow = runOf(['title Overflow', 'kernel v6.1', 'mmap buf 4K', 'mark Read', 'read buf', 'mark Pin a lot', 'repeat 2097152', 'pin buf 0 4K', 'end', 'expect violations == 0'].join('\n'));
    const model = buildTimelineModel(overflow);
    const html = render(model, 22, { width: 800 });
    expect(count(html, 'class="tl-elided"')).toBe(1);
    expect(html).toContain('2,097,148 iterations');
    expect(markers(html)).toBe(2);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/timeline-overflow-22.svg.html');
  });

  it('a 100,000-event run draws a histogram whose size is bounded by the width', () => {
    const events: SimEvent[] = [];
    for (let i = 0; i < 100_000; i++) events.push({ kind: i % 7 === 0 ? 'ref' : 'fault', text: '', chain: [], line: 1, stmt: Math.floor(i / 5000), patchEnd: i });
    const model = buildTimelineModel({ events, chapters: [{ title: 'All of it', line: 1, step: 1 }], findings: [], expectations: [], lastStep: events.length });
    const html = render(model, 50_000, { width: 1200 });
    expect(html).toContain('data-mode="density"');
    expect(html).not.toContain('class="tl-ticks');
    const all = attr(html, /class="tl-density-all" d="([^"]*)"/)!;
    expect(count(all, 'M')).toBeLessThanOrEqual(600);
    // 20 statements: 20 statement-end ticks.
    expect(count(attr(html, /class="tl-stmt" d="([^"]*)"/)!, 'M')).toBe(20);
    expect(html.length).toBeLessThan(80_000);
  });

  it('draws nothing on the track before the width is known', () => {
    const html = render(buildTimelineModel(zeroWrite), 5, { width: 0 });
    expect(html).not.toContain('tl-static');
    expect(html).toContain('role="slider"');
  });
});
