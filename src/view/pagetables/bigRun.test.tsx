// @vitest-environment happy-dom
// A 1 GiB buffer written once: 262,144 PTEs, each mapping the next anonymous folio. The view folds them and
// stays a few hundred elements, whatever is selected, and a fold opens to a window of its rows.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, walkIndices, type Catalog, type FolioView, type PteView, type Snapshot } from '../../core';
import { PageTablesView } from './PageTablesView';
import { FOLD_WINDOW } from './layout';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PAGES = 262_144;
const BASE = 0x7f0000000000;
const FIRST_FOLIO = 3;

function bigRun(): { snapshot: Snapshot; catalog: Catalog } {
  const entries: PteView[] = [];
  const folios: FolioView[] = [];
  const vpn0 = BASE / PAGE_SIZE;
  for (let i = 0; i < PAGES; i++) {
    const va = BASE + i * PAGE_SIZE;
    const id = FIRST_FOLIO + i;
    const w = walkIndices(va);
    entries.push({ va, vaHex: `0x${va.toString(16)}`, level: 'pte', indices: { pgd: w.pgd, pud: w.pud, pmd: w.pmd, pte: w.pte }, folio: id, page: 0, present: true, rw: true, user: true, accessed: true, dirty: true, special: false, vma: 'buf' });
    const key = `map:main@0x${va.toString(16)}`;
    folios.push({ id, kind: 'anon', order: 0, pfn: 0x100000 + i, refcount: 1, mapcount: 1, pincount: 0, pinned: false, exclusive: true, dirty: true, reserved: false, holders: [{ key, kind: 'map', label: key, refs: 1, pins: 0, leaked: false }], held: 1 });
  }
  const tables = ['pud:254', 'pmd:254/0', ...Array.from({ length: PAGES / 512 }, (_, k) => `pte:254/0/${k}`)];
  const snapshot: Snapshot = {
    step: 10,
    lastStep: 20,
    kernel: 'v6.12',
    currentTask: 'main',
    folios,
    tasks: [{ name: 'main', alive: true, current: true, hasPinned: false, vmas: [{ name: 'buf', start: BASE, end: BASE + PAGES * PAGE_SIZE, backing: 'anon', shared: false, writable: true, thp: false, anonVma: true }], entries, tables }],
    bios: [],
    dios: [],
    handles: [],
    files: [],
    violations: 0,
    leaks: 0,
    zeroFolio: 1,
    hugeZeroFolio: 2,
  };
  const catalog: Catalog = {
    folios: folios.map((f) => ({ id: f.id, kind: f.kind, order: f.order, pfn: f.pfn })),
    holders: [],
    bios: [],
    dios: [],
    addresses: [{ task: 'main', pages: Array.from({ length: PAGES }, (_, i) => vpn0 + i), pmds: [] }],
    tasks: ['main'],
  };
  return { snapshot, catalog };
}

const BIG = bigRun();
const MIDDLE = PAGES / 2 + 123;
const MIDDLE_VA = BASE + MIDDLE * PAGE_SIZE;

const dom = useDomHost();

function mount(selectedFolio: number | null, snapshot = BIG.snapshot) {
  act(() => dom.root.render(<PageTablesView snapshot={snapshot} catalog={BIG.catalog} task="main" selectedFolio={selectedFolio} focusVa={null} />));
}

const elements = () => dom.host.querySelectorAll('*').length;
const rowAt = (va: number) => dom.host.querySelector(`.pt-row[data-level][data-va="0x${va.toString(16).padStart(12, '0')}"]`);

describe('a 262,144-PTE run', () => {
  it('is drawn in a few hundred elements, folded, with the selected folio in the middle in a row of its own', () => {
    mount(FIRST_FOLIO + MIDDLE);
    expect(elements()).toBeLessThan(2000);
    const row = rowAt(MIDDLE_VA)!;
    expect(row).not.toBeNull();
    expect(row.getAttribute('data-folio')).toBe(String(FIRST_FOLIO + MIDDLE));
    expect(row.getAttribute('class')).toContain('selected');
    // Folded around it: the pages before and after it.
    const folds = [...dom.host.querySelectorAll('.pt-fold')];
    expect(folds.map((f) => f.getAttribute('data-count'))).toEqual([String(MIDDLE), String(PAGES - MIDDLE - 1)]);
    expect(folds[0]!.textContent).toBe('▸ PTEs 0x7f0000000000–0x7f002007a000131,195 pages · anon, writable, accessed, dirty');
  });

  it('keeps the row the current event touches, and folds everything when nothing is selected', () => {
    mount(null);
    expect(dom.host.querySelectorAll('.pt-fold')).toHaveLength(1);
    expect(dom.host.querySelector('.pt-fold [role="button"]')!.getAttribute('aria-label')).toBe(
      'PTEs 0x7f0000000000–0x7f003ffff000 · 262,144 pages · anon, writable, accessed, dirty (folded: 262144 alike rows; maps F3 to F262146)',
    );
    const event = { kind: 'pte', text: 'a PTE', chain: [], line: 1, stmt: 1, patchEnd: 0, task: 'main', va: BASE + 1000 * PAGE_SIZE } as Snapshot['event'];
    mount(null, { ...BIG.snapshot, ...(event ? { event } : {}) });
    expect(rowAt(BASE + 1000 * PAGE_SIZE)).not.toBeNull();
    expect(dom.host.querySelectorAll('.pt-fold')).toHaveLength(2);
    expect(elements()).toBeLessThan(2000);
  });

  it('opens a fold to its first rows, shows more on request, and closes again', () => {
    mount(null);
    const head = () => dom.host.querySelector<SVGGElement>('.pt-fold .pt-row-hit')!;
    act(() => head().dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(head().getAttribute('aria-expanded')).toBe('true');
    expect(dom.host.querySelectorAll('.pt-row[data-folio]')).toHaveLength(FOLD_WINDOW);
    expect(rowAt(BASE + (FOLD_WINDOW - 1) * PAGE_SIZE)).not.toBeNull();
    expect(rowAt(BASE + FOLD_WINDOW * PAGE_SIZE)).toBeNull();
    const more = dom.host.querySelector<SVGGElement>('.pt-fold-more .pt-row-hit')!;
    expect(more.textContent).toBe(`⋯ 262,080 pages more · show ${FOLD_WINDOW} more rows`);
    act(() => more.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(dom.host.querySelectorAll('.pt-row[data-folio]')).toHaveLength(2 * FOLD_WINDOW);
    expect(elements()).toBeLessThan(4000);
    act(() => head().dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
    expect(head().getAttribute('aria-expanded')).toBe('false');
    expect(dom.host.querySelectorAll('.pt-row[data-folio]')).toHaveLength(0);
  });
});
