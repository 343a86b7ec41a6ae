// Page object for presentation mode: the clicker keys, the audience layout, the blanking and the stops.
import { expect, type Locator, type Page } from '@playwright/test';
import { ExplorerPage } from './ExplorerPage';

export class PresentPage extends ExplorerPage {
  readonly app: Locator;
  readonly chapter: Locator;
  readonly caption: Locator;
  readonly blank: Locator;
  readonly enterButton: Locator;

  constructor(page: Page) {
    super(page);
    this.app = page.locator('.app');
    this.chapter = page.locator('.present-chapter');
    this.caption = page.locator('.present-caption');
    this.blank = page.locator('.present-blank');
    this.enterButton = page.getByRole('button', { name: 'Present', exact: true });
  }

  /** A key as a clicker sends it, with the focus on the page (not on a button or the editor). */
  async click(key: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
  }

  async expectPresenting(on: boolean): Promise<void> {
    if (on) await expect(this.app).toHaveClass(/\bpresenting\b/);
    else await expect(this.app).not.toHaveClass(/\bpresenting\b/);
    if (on) await expect(this.page.locator('html')).toHaveAttribute('data-theme', 'projector');
    else await expect(this.page.locator('html')).not.toHaveAttribute('data-theme', 'projector');
  }

  /** The statement (stmt sequence number and source line) of the current step's event. */
  statement(): Promise<{ stmt: number; line: number } | null> {
    return this.page.evaluate(() => {
      const ev = (window as unknown as { __pinscope: { snapshot(): { event?: { stmt: number; line: number } } | null } }).__pinscope.snapshot()?.event;
      return ev ? { stmt: ev.stmt, line: ev.line } : null;
    });
  }

  /** The statement execution (stmt) of the event at `step` (the step's own event), or null at 0 / past the end. */
  stmtAt(step: number): Promise<number | null> {
    return this.page.evaluate((s) => (window as unknown as { __pinscope: { eventAt(s: number): { stmt: number } | null } }).__pinscope.eventAt(s)?.stmt ?? null, step);
  }

  /**
   * Whether the memory view shows at least one folio's refcount (the largest number on screen) wholly inside
   * its visible picture: a sentence when none is (null when one is, or the memory view is not shown).
   */
  memoryNumberHidden(): Promise<string | null> {
    return this.page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>('.views > .memory-panel .memory-scroller');
      const numbers = [...(scroller?.querySelectorAll('[data-field="refcount"]') ?? [])];
      if (!scroller || numbers.length === 0 || scroller.getBoundingClientRect().height === 0) return null;
      const box = scroller.getBoundingClientRect();
      const inView = (n: Element) => {
        const r = n.getBoundingClientRect();
        return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      };
      if (numbers.some(inView)) return null;
      const r = numbers[0]!.getBoundingClientRect();
      return `Memory: no refcount in view (the first at y ${Math.round(r.top)}..${Math.round(r.bottom)}, the picture ${Math.round(box.top)}..${Math.round(box.bottom)})`;
    });
  }

  /**
   * Every way a shown view does not fit its panel, as sentences ([] when all fit): the panel must lie inside
   * the window; nothing inside it may scroll sideways or cut its text with an ellipsis; every text must lie
   * inside the panel's body horizontally (vertical scrolling is allowed) and inside its own picture (SVG clips
   * what falls outside); the page-table column headers must not overlap one another.
   */
  fitProblems(): Promise<string[]> {
    return this.page.evaluate(() => {
      const problems: string[] = [];
      const winW = document.documentElement.clientWidth;
      for (const panel of document.querySelectorAll<HTMLElement>('.views > section.panel')) {
        const r = panel.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const name = panel.getAttribute('aria-label') ?? panel.className;
        if (r.left < -0.5 || r.right > winW + 0.5) problems.push(`${name}: x ${Math.round(r.left)}..${Math.round(r.right)} outside the window's 0..${winW}`);
        const body = panel.querySelector<HTMLElement>('.panel-body');
        if (!body) continue;
        const b = body.getBoundingClientRect();
        for (const el of [panel, ...panel.querySelectorAll<HTMLElement>('*')]) {
          if (!(el instanceof HTMLElement)) continue;
          const style = getComputedStyle(el);
          if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
            if (style.overflowX === 'auto' || style.overflowX === 'scroll') problems.push(`${name}: ${el.className || el.tagName} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
            else if (style.textOverflow === 'ellipsis') problems.push(`${name}: "${el.textContent?.trim().slice(0, 30)}" is cut with an ellipsis`);
          }
        }
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
        const seen = new Set<Element>();
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement;
          if (!el || seen.has(el) || !n.nodeValue?.trim() || el.closest('title')) continue;
          seen.add(el);
          const t = el.getBoundingClientRect();
          if (t.width === 0 || t.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
          const text = n.nodeValue.trim().slice(0, 30);
          if (t.left < b.left - 1 || t.right > b.right + 1) problems.push(`${name}: "${text}" at x ${Math.round(t.left)}..${Math.round(t.right)} outside the panel's ${Math.round(b.left)}..${Math.round(b.right)}`);
          const svg = el.closest('svg');
          if (svg && (el as Element) !== svg) {
            const s = svg.getBoundingClientRect();
            if (t.left < s.left - 1 || t.right > s.right + 1) problems.push(`${name}: "${text}" drawn outside its picture (x ${Math.round(t.left)}..${Math.round(t.right)} vs ${Math.round(s.left)}..${Math.round(s.right)})`);
          }
          if (n.nodeValue.trim().endsWith('…')) problems.push(`${name}: "${text}" is abbreviated`);
        }
        const heads = [...panel.querySelectorAll('.pt-header text')].map((e) => ({ t: e.textContent?.trim() ?? '', r: e.getBoundingClientRect() })).filter((h) => h.r.width > 0);
        for (let i = 0; i < heads.length; i++) {
          for (let j = i + 1; j < heads.length; j++) {
            const [a, c] = [heads[i]!, heads[j]!];
            if (a.r.left < c.r.right - 0.5 && c.r.left < a.r.right - 0.5 && a.r.top < c.r.bottom - 0.5 && c.r.top < a.r.bottom - 0.5) problems.push(`${name}: headers "${a.t}" and "${c.t}" overlap`);
          }
        }
      }
      return problems;
    });
  }
  /**
   * Texts of one view that overlap one another, as sentences ([] when none do). A text is an SVG <text> (its
   * tspans are parts of it) or an HTML element's own text; two overlap when their boxes intersect by more than
   * `slack` CSS px both ways. A box is its glyphs' line box, which is taller than the ink: lines set closer than
   * the font's line height touch without the letters meeting, so the vertical test uses the box's middle
   * `core` fraction. Texts inside one another (a label inside its button) and invisible ones are not compared; a
   * text partly hidden by a scrolling box around it counts only for its shown part.
   */
  textOverlaps(panelName: string, slack = 1, core = 0.6): Promise<string[]> {
    return this.page.evaluate(
      ({ panelName, slack, core }) => {
        const panel = document.querySelector(`.views > section.panel[aria-label="${panelName}"]`);
        if (!panel || panel.getBoundingClientRect().width === 0) return [];
        const boxes: { el: Element; text: string; left: number; right: number; top: number; bottom: number }[] = [];
        const visible = (el: Element) => {
          for (let e: Element | null = el; e && e !== panel; e = e.parentElement) {
            const st = getComputedStyle(e);
            if (st.visibility === 'hidden' || st.display === 'none' || Number(st.opacity) === 0) return false;
          }
          return true;
        };
        // A scrolling or clipping box (the panel's body, the panel) hides what lies outside it: a text scrolled
        // under the panel's title or past its legend is not drawn there, so only its part inside is compared.
        const clipped = (el: Element, box: { left: number; right: number; top: number; bottom: number }) => {
          for (let e: Element | null = el.parentElement; e; e = e === panel ? null : e.parentElement) {
            const st = getComputedStyle(e);
            if (st.overflowX === 'visible' && st.overflowY === 'visible') continue;
            const c = e.getBoundingClientRect();
            box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right), top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom) };
          }
          return box;
        };
        const add = (el: Element, text: string) => {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0 || !visible(el)) return;
          const trim = (r.height * (1 - core)) / 2;
          const box = clipped(el, { left: r.left, right: r.right, top: r.top + trim, bottom: r.bottom - trim });
          if (box.right - box.left <= 0 || box.bottom - box.top <= 0) return;
          boxes.push({ el, text: text.slice(0, 40), ...box });
        };
        for (const t of panel.querySelectorAll('svg text')) {
          const text = [...t.childNodes].filter((n) => n.nodeName !== 'title').map((n) => n.textContent ?? '').join('').trim();
          if (text) add(t, text);
        }
        for (const el of panel.querySelectorAll('*')) {
          if (el.closest('svg')) continue;
          const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.nodeValue ?? '').join('').trim();
          if (own) add(el, own);
        }
        const problems: string[] = [];
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i]!, boxes[j]!];
            if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
            const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (x > slack && y > slack) problems.push(`${panelName}: "${a.text}" and "${b.text}" overlap (${Math.round(x)}×${Math.round(y)} px)`);
          }
        }
        return problems;
      },
      { panelName, slack, core },
    );
  }
  /** The chapter title as drawn: whether it is cut, its font size, its lines, and where the picture begins. */
  chapterTitle(): Promise<{ text: string; cut: boolean; fontPx: number; lines: number; scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number; viewsTop: number }> {
    return this.page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.present-chapter')!;
      const { scrollWidth, clientWidth, scrollHeight, clientHeight } = el;
      const fontPx = parseFloat(getComputedStyle(el).fontSize);
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
      // Its text's own height over a line: 1 or 2 lines (a range's rects, one per line box it spans).
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return {
        text: el.textContent ?? '',
        cut: scrollWidth > clientWidth + 1 || scrollHeight > clientHeight + 1 || (tops.size > 1 && tops.size * lineHeight > clientHeight + 1),
        fontPx,
        lines: tops.size,
        scrollWidth,
        clientWidth,
        scrollHeight,
        clientHeight,
        viewsTop: document.querySelector('.views')!.getBoundingClientRect().top,
      };
    });
  }
}
