import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { BlockIoView } from './BlockIoView';

function runOf(text: string, kernel?: string): Run {
  const src = kernel ? text.replace(/^kernel .*$/m, `kernel ${kernel}`) : text;
  const parsed = parseScenario(src);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

function stepOf(run: Run, re: RegExp): number {
  const i = run.events.findIndex((e) => re.test(e.text));
  if (i < 0) throw new Error(`no event ${re}`);
  return i + 1;
}

function pretty(html: string): string {
  return `${html.replace(/></g, '>\n<')}\n`;
}

function render(run: Run, step: number, opts: { width?: number; selectedFolio?: number | null } = {}): string {
  return renderToStaticMarkup(<BlockIoView snapshot={run.snapshot(step)} catalog={run.catalog} selectedFolio={opts.selectedFolio ?? null} {...(opts.width ? { width: opts.width } : {})} />);
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const builtin = (name: string) => readFileSync(`scenarios/builtin/${name}`, 'utf8');

describe('BlockIoView (SVG snapshots)', () => {
  const zeroWrite = runOf(builtin('01-dio-write-zero-page.scn'));

  it('v6.4: four zero-page bvecs, each holding a reference, in the building lane', async () => {
    const step = stepOf(zeroWrite, /bio#1 gets bvec 3/);
    const html = render(zeroWrite, step);
    expect(count(html, 'data-status="held"')).toBe(4);
    expect(count(html, 'data-hold="get"')).toBe(4);
    expect(count(html, 'class="bio-seg-label">zero</text>')).toBe(4);
    expect(html).toContain('zero page ×4');
    expect(html).toContain('no BIO_PAGE_PINNED');
    expect(html).toContain('data-state="building"');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-zero-write-v6.4-building.svg.html');
  });

  it('v6.4: the bio in flight', async () => {
    const html = render(zeroWrite, stepOf(zeroWrite, /bio#1 is submitted/));
    expect(html).toContain('data-state="submitted"');
    expect(html).toContain('submitted (in flight)');
    expect(html).toContain('submit_bio_wait_endio');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-zero-write-v6.4-inflight.svg.html');
  });

  it('v6.4: completion releasing the zero page reference by reference', async () => {
    const html = render(zeroWrite, stepOf(zeroWrite, /which was sleeping on it/) + 2);
    expect(count(html, 'data-status="released"')).toBe(2);
    expect(count(html, 'data-status="held"')).toBe(2);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-zero-write-v6.4-releasing.svg.html');
  });

  it('v6.5 legacy engine: pinned user page and the zero page in one BIO_PAGE_PINNED bio', async () => {
    const legacy = runOf(builtin('02-legacy-subblock-zeroing.scn'), 'v6.5');
    const html = render(legacy, stepOf(legacy, /bio#1 is submitted/), { width: 460, selectedFolio: 3 });
    expect(html).toContain('>BIO_PAGE_PINNED<');
    expect(count(html, 'data-hold="pin"')).toBe(2);
    expect(count(html, 'data-status="held"')).toBe(1);
    expect(count(html, 'data-status="noref"')).toBe(1);
    expect(html).toContain('pin: no-op');
    expect(html).toContain('legacy fs/direct-io.c');
    expect(count(html, 'bio-seg status-held kind-anon selected')).toBe(1);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-legacy-v6.5-inflight-narrow.svg.html');
  });

  it("v6.4 legacy engine: the dio's current page is the zero page", async () => {
    const legacy = runOf(builtin('02-legacy-subblock-zeroing.scn'));
    const html = render(legacy, stepOf(legacy, /zero page becomes dio#1's current page/));
    expect(html).toContain('current page');
    expect(html).toMatch(/zero \+0, 3584 B/);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-legacy-v6.4-curpage.svg.html');
  });

  it('the deferred re-dirty: bio_dirty_list, a clean page, pages released one by one', async () => {
    const read = runOf(builtin('04-dio-read-fresh-memory.scn'));
    const html = render(read, stepOf(read, /bio#1 drops its reference on F4/));
    expect(html).toContain('deferred: bio_dirty_list');
    expect(count(html, 'data-status="released"')).toBe(2);
    expect(count(html, 'data-dirty="true"')).toBe(4);
    expect(html).toContain('iomap');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/blockio-read-deferred.svg.html');
  });

  it('a run without direct I/O says so', () => {
    const vfio = runOf(builtin('03-vfio-zero-page.scn'));
    const html = render(vfio, vfio.lastStep);
    expect(html).toContain('No direct I/O in this run');
    expect(html).not.toContain('<svg');
  });
});
