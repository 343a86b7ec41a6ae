// Page object for layout checks: measures, in the page, whether the document scrolls sideways, whether the
// four views and the side column lie inside the page and draw inside their own boxes, and opens the side
// columns ("why" and findings) as a user does.
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { ExplorerPage } from './ExplorerPage';

export const VIEW_NAMES = ['Page tables', 'Memory', 'Refcount graph', 'Block I/O'] as const;

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
}

export class LayoutProbe extends ExplorerPage {
  readonly views: Locator;

  constructor(page: Page) {
    super(page);
    this.views = page.locator('.views');
  }

  /** The document's width against the window's: a wider document scrolls sideways. */
  horizontalOverflow(): Promise<Overflow> {
    return this.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  }

  /**
   * Every way a view (or the open side column) is cut, as sentences; [] when none is. A panel must have a real
   * size, lie inside the page (its left and right inside the window, its top and bottom inside the document,
   * which may scroll down), not scroll sideways inside (a sideways scroll hides columns), have a title that is
   * not cut, and draw every text of its pictures inside the picture's own box (SVG clips what falls outside).
   */
  clipping(minSide = 120): Promise<string[]> {
    return this.page.evaluate(
      ({ names, minSide }) => {
        const problems: string[] = [];
        const doc = document.documentElement;
        const docHeight = Math.max(doc.scrollHeight, doc.clientHeight);
        const panels: [string, Element][] = [];
        for (const name of names) {
          const el = document.querySelector(`section.panel[aria-label="${name}"]`);
          if (!el) problems.push(`${name}: not in the page`);
          else panels.push([name, el]);
        }
        const side = document.querySelector('.workspace > .why, .workspace > .findings:not(.findings-collapsed)');
        if (side) panels.push([side.getAttribute('aria-label') ?? 'side column', side]);
        for (const [name, el] of panels) {
          const r = el.getBoundingClientRect();
          const top = r.top + window.scrollY;
          const bottom = r.bottom + window.scrollY;
          // A view needs a real size; a side column only its width (an empty findings list is short, not cut).
          if (r.width < minSide || ((names as string[]).includes(name) && r.height < minSide)) problems.push(`${name}: ${Math.round(r.width)}×${Math.round(r.height)} px, smaller than ${minSide} px`);
          if (r.left < -0.5 || r.right > doc.clientWidth + 0.5) problems.push(`${name}: x ${Math.round(r.left)}..${Math.round(r.right)} outside the window's 0..${doc.clientWidth}`);
          if (top < -0.5 || bottom > docHeight + 0.5) problems.push(`${name}: y ${Math.round(top)}..${Math.round(bottom)} outside the document's 0..${docHeight}`);
          for (const body of el.querySelectorAll<HTMLElement>('.panel-body, .memory-scroller, .compare-body')) {
            if (body.scrollWidth > body.clientWidth + 1) problems.push(`${name}: its ${body.className} scrolls sideways (${body.scrollWidth} > ${body.clientWidth})`);
          }
          const title = el.querySelector<HTMLElement>('.panel-title');
          if (title && title.scrollWidth > title.clientWidth + 1) problems.push(`${name}: its title is cut (${title.scrollWidth} > ${title.clientWidth})`);
          for (const svg of el.querySelectorAll('svg')) {
            const box = svg.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            for (const text of svg.querySelectorAll('text')) {
              const t = text.getBoundingClientRect();
              if (t.width === 0 || !text.textContent?.trim()) continue;
              if (t.left < box.left - 1 || t.right > box.right + 1 || t.top < box.top - 1 || t.bottom > box.bottom + 1) {
                problems.push(`${name}: text "${text.textContent.trim().slice(0, 30)}" drawn outside its picture (${Math.round(t.left)}..${Math.round(t.right)} × ${Math.round(t.top)}..${Math.round(t.bottom)} vs ${Math.round(box.left)}..${Math.round(box.right)} × ${Math.round(box.top)}..${Math.round(box.bottom)})`);
              }
            }
          }
        }
        // Inside a picture: a page-table row's address must end before its first index cell begins.
        for (const row of document.querySelectorAll('.pt-walk .pt-row')) {
          const va = row.querySelector('.pt-va')?.getBoundingClientRect();
          const cell = row.querySelector('.pt-cell rect')?.getBoundingClientRect();
          if (va && cell && va.width > 0 && va.right > cell.left + 0.5) {
            problems.push(`Page tables: the address ${row.querySelector('.pt-va')?.textContent} runs into the index cells (${Math.round(va.right)} > ${Math.round(cell.left)})`);
            break;
          }
        }
        return problems;
      },
      { names: [...VIEW_NAMES], minSide },
    );
  }

  /**
   * How much of each view's body its picture fills (its content's width and height over the body's), so a
   * wide screen's panels can be checked for room left unused.
   */
  fill(): Promise<Record<string, { width: number; height: number }>> {
    return this.page.evaluate((names) => {
      const out: Record<string, { width: number; height: number }> = {};
      for (const name of names) {
        const panel = document.querySelector(`section.panel[aria-label="${name}"]`);
        const body = panel?.querySelector<HTMLElement>('.memory-scroller, .panel-body');
        if (!panel || !body) continue;
        const b = body.getBoundingClientRect();
        let right = b.left;
        let bottom = b.top;
        for (const child of body.querySelectorAll('svg, table, .pt-walk, .bio-view')) {
          const r = child.getBoundingClientRect();
          if (r.width === 0) continue;
          right = Math.max(right, r.right);
          bottom = Math.max(bottom, r.bottom);
        }
        out[name] = { width: Math.round(((right - b.left) / b.width) * 100) / 100, height: Math.round(((bottom - b.top) / b.height) * 100) / 100 };
      }
      return out;
    }, [...VIEW_NAMES]);
  }

  /** Whether the page-table walk is taller than its scroll area, and how many of its rows lie outside it. */
  pageTableWalk(): Promise<{ overflows: boolean; rowsOutside: number }> {
    return this.page.evaluate(() => {
      const scroll = document.querySelector<HTMLElement>('.pt-panel .pt-scroll');
      if (!scroll) return { overflows: false, rowsOutside: 0 };
      const box = scroll.getBoundingClientRect();
      const rows = [...scroll.querySelectorAll('.pt-row')].map((r) => r.getBoundingClientRect());
      return { overflows: scroll.scrollHeight > scroll.clientHeight + 1, rowsOutside: rows.filter((r) => r.bottom > box.bottom + 1 || r.top < box.top - 1).length };
    });
  }

  /** Open the "why" column: click the first folio of the refcount graph, as a user picks one. */
  async openWhy(): Promise<void> {
    await this.page.locator('.graph-svg .gf[data-folio]').first().click();
    await expect(this.page.locator('.workspace > .why')).toBeVisible();
  }

  /** Open the findings column (it starts collapsed to a strip when the run has nothing to report). */
  async openFindings(): Promise<void> {
    const strip = this.page.locator('.findings-strip');
    if (await strip.isVisible()) await strip.click();
    await expect(this.page.locator('.workspace > .findings:not(.findings-collapsed)')).toBeVisible();
  }

  /** A full-page screenshot, attached to the test and kept under test-results/layout-shots/ to be looked at. */
  async shoot(info: TestInfo, name: string): Promise<void> {
    const path = `test-results/layout-shots/${name}.png`;
    await this.page.screenshot({ path, fullPage: true });
    await info.attach(name, { path, contentType: 'image/png' });
  }
}
