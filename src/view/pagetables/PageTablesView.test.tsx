import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { PageTablesView, defaultFocus, taskTabs } from './PageTablesView';
import { layoutPageTables } from './layout';

function runOf(text: string, kernel?: string): Run {
  const src = kernel ? text.replace(/^kernel .*$/m, `kernel ${kernel}`) : text;
  const parsed = parseScenario(src);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

/** One tag per line, so a snapshot diff reads like a diff of the picture. */
function pretty(html: string): string {
  return `${html.replace(/></g, '>\n<')}\n`;
}

function render(run: Run, step: number, opts: { task?: string; focusVa?: number | null; selectedFolio?: number | null; width?: number } = {}): string {
  const snapshot = run.snapshot(step);
  return renderToStaticMarkup(
    <PageTablesView
      snapshot={snapshot}
      catalog={run.catalog}
      task={opts.task ?? snapshot.currentTask}
      selectedFolio={opts.selectedFolio ?? null}
      focusVa={opts.focusVa ?? null}
      {...(opts.width ? { width: opts.width } : {})}
    />,
  );
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

const ZERO_WRITE = runOf(readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8'));
const HUGE_ZERO = runOf(readFileSync('scenarios/rows/15-cow-huge-zeropage.v6.12.scn', 'utf8'));
const FORK = runOf(readFileSync('scenarios/rows/07-fork-with-longterm-pin.v6.5.scn', 'utf8'));

describe('PageTablesView (SVG snapshots)', () => {
  it('before the buffer is touched: four empty rows in place', async () => {
    const html = render(ZERO_WRITE, 3);
    expect(count(html, 'data-present="false"')).toBe(4);
    expect(count(html, 'data-present="true"')).toBe(0);
    expect(html).toContain('not present');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-zero-write-step3.svg.html');
  });

  it('after the read: four special, read-only PTEs of the zero page', async () => {
    const html = render(ZERO_WRITE, 14);
    expect(count(html, 'data-present="true"')).toBe(4);
    expect(count(html, 'data-bit="S" data-on="true"')).toBe(4);
    expect(count(html, 'data-bit="RW" data-on="false"')).toBe(4);
    expect(count(html, 'class="pt-row pte kind-zero special')).toBe(4);
    expect(count(html, `data-folio="${ZERO_WRITE.snapshot(14).zeroFolio}"`)).toBe(8); // row + label
    // The walk explained for the event's address (the last fault, 0x7f0000003000).
    expect(html).toContain('000000011');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-zero-write-step14.svg.html');
  });

  it('two PMD leaves of the huge zero folio', async () => {
    const html = render(HUGE_ZERO, 12);
    expect(count(html, 'class="pt-leaf kind-hugezero"')).toBe(2);
    expect(html).toContain('×512 not present');
    expect(count(html, 'data-level="pmd" data-count="1" data-present="true"')).toBe(2);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-huge-zero-step12.svg.html');
  });

  it('the split: ×512 → zero page in one row, not 512', async () => {
    const html = render(HUGE_ZERO, 21);
    expect(html).toContain('×512 → </tspan>');
    expect(count(html, 'data-level="pte"')).toBe(1);
    expect(html).toContain('PMD entry → PTE table (no leaf)');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-huge-zero-step21.svg.html');
  });

  it('after the COW: the new page, then ×511 of the zero page; compact at 460 px', async () => {
    const html = render(HUGE_ZERO, 24, { width: 460, selectedFolio: 3 });
    expect(html).toContain('×511 → </tspan>');
    expect(count(html, 'data-level="pte"')).toBe(2);
    expect(count(html, ' selected"')).toBe(1);
    expect(html).not.toContain('class="pt-vma-name"'); // compact: no VMA names column
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-huge-zero-step24-compact.svg.html');
  });

  it("the child's page tables after fork, with task tabs", async () => {
    const step = FORK.events.findIndex((e) => e.text.startsWith('The following statements run in child')) + 1;
    expect(step).toBeGreaterThan(0);
    const html = render(FORK, step, { task: 'child' });
    expect(html).toContain('role="tablist"');
    expect(html).toMatch(/aria-selected="true" class="pt-tab active"[^>]*><span class="pt-current-dot"[^>]*><\/span>child</);
    expect(count(html, 'role="tab"')).toBe(2);
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/pagetables-fork-child.svg.html');
  });
});

describe('PageTablesView helpers', () => {
  it('lists every task the run had, the current one marked', () => {
    const snap = FORK.snapshot(FORK.lastStep);
    expect(taskTabs(snap, FORK.catalog).map((t) => [t.name, t.alive])).toEqual([
      ['main', true],
      ['child', true],
    ]);
    const before = FORK.snapshot(1);
    expect(taskTabs(before, FORK.catalog).find((t) => t.name === 'child')!.alive).toBe(false);
    expect(taskTabs(before, FORK.catalog).find((t) => t.name === 'main')!.current).toBe(true);
  });

  it("explains the current event's address by default", () => {
    const step = ZERO_WRITE.events.findIndex((e) => e.text.includes('special, read-only PTE for 0x7f0000002000')) + 1;
    const snap = ZERO_WRITE.snapshot(step);
    const layout = layoutPageTables(ZERO_WRITE.catalog, 'main', snap.tasks[0]);
    expect(defaultFocus(snap, 'main', layout)).toBe(0x7f0000002000);
    // An event without an address: the first mapped row.
    const later = ZERO_WRITE.snapshot(ZERO_WRITE.lastStep);
    expect(defaultFocus(later, 'main', layoutPageTables(ZERO_WRITE.catalog, 'main', later.tasks[0]))).toBe(0x7f0000000000);
  });
});
