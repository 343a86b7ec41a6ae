import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { runUnder } from '../compare/testing';
import { FindingsView } from './FindingsView';
import { groupFindings } from './group';

const read = (path: string) => readFileSync(path, 'utf8');

const noop = () => {};

function render(path: string, kernel: string, step: (last: number) => number, collapsed = false) {
  const { run } = runUnder(read(path), kernel);
  const groups = groupFindings(run.findings, run.expectations);
  return { html: renderToStaticMarkup(<FindingsView groups={groups} step={step(run.lastStep)} collapsed={collapsed} onToggle={noop} onSeek={noop} />), run, groups };
}

describe('FindingsView', () => {
  it('says there is nothing to report for the DIO write scenario on v6.4', async () => {
    const { html } = render('scenarios/builtin/01-dio-write-zero-page.scn', 'v6.4', (last) => last - 10);
    expect(html).toContain('No violations, leaks or failed expectations');
    expect(html).not.toContain('findings-entry');
    await expect(html).toMatchFileSnapshot('__snapshots__/findings-dio-write.html');
  });

  it('on v6.5 the same scenario fails its in-flight expectation (the zero page stays at 1)', async () => {
    const { html, run } = render('scenarios/builtin/01-dio-write-zero-page.scn', 'v6.5', (last) => last);
    const failed = run.expectations.filter((x) => !x.ok);
    expect(failed.map((x) => x.line)).toEqual([20]);
    expect(html).toContain('Failed expectations · 1');
    expect(html).toContain(`data-step="${failed[0]!.step}" data-kind="expect"`);
    expect(html).toContain('expect zero.refcount == 5: actual 1');
    await expect(html).toMatchFileSnapshot('__snapshots__/findings-dio-write-v6.5.html');
  });

  it('lists the vfio leaks on v5.10 with step, line and holder; entries after the current step are marked ahead', async () => {
    const { html, groups } = render('scenarios/builtin/03-vfio-zero-page.scn', 'v5.10', () => 44);
    const leaks = groups.find((g) => g.key === 'leaks')!.entries;
    expect(html).toContain(`Leaks · ${leaks.length}`);
    for (const x of leaks) {
      expect(html).toContain(`data-step="${x.step}" data-kind="leak"`);
      expect(html).toContain(`step ${x.step} · line ${x.line}`);
    }
    expect(html).toContain('should have been released by: vfio mapping');
    expect(html).toMatch(/findings-entry ahead" data-step="51"/);
    await expect(html).toMatchFileSnapshot('__snapshots__/findings-vfio.html');
  });

  it('collapses to a strip with the count', () => {
    const { html, groups } = render('scenarios/builtin/03-vfio-zero-page.scn', 'v5.10', () => 1, true);
    expect(html).toContain('findings-collapsed');
    expect(html).toContain(`<span class="findings-count bad">${groups.reduce((n, g) => n + g.entries.length, 0)}</span>`);
    expect(html).not.toContain('findings-entry');
  });
});
