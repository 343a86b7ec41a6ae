// Page object for the explorer: navigation, the typed test API on window.__pinscope, and the editor.
import { expect, type Locator, type Page } from '@playwright/test';
import type { PinscopeTestApi } from '../../src/view/testApi';
import type { Snapshot } from '../../src/core';

export class ExplorerPage {
  readonly editor: Locator;
  readonly editorErrors: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.editor = page.getByRole('textbox', { name: 'Scenario text' });
    this.editorErrors = page.locator('.editor-errors');
    this.notice = page.locator('.notice');
  }

  async goto(suffix = ''): Promise<void> {
    await this.page.goto(`/${suffix}`);
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    await this.page.waitForFunction(() => ((window as unknown as { __pinscope?: PinscopeTestApi }).__pinscope?.lastStep() ?? 0) > 0);
  }

  step(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.step());
  }

  lastStep(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.lastStep());
  }

  chapters(): Promise<{ title: string; step: number }[]> {
    return this.page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.chapters());
  }

  snapshot(): Promise<Snapshot | null> {
    return this.page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.snapshot());
  }

  async seek(step: number): Promise<void> {
    await this.page.evaluate((s) => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.seek(s), step);
  }

  errors(): Promise<{ line: number; col: number; message: string }[]> {
    return this.page.evaluate(() => (window as unknown as { __pinscope: PinscopeTestApi }).__pinscope.errors());
  }

  /** Focus the page body (not the editor) and press a key. */
  async press(key: string): Promise<void> {
    await this.page.locator('.brand').click();
    await this.page.keyboard.press(key);
  }

  async replaceScenario(text: string): Promise<void> {
    await this.editor.fill(text);
  }

  async expectStep(step: number): Promise<void> {
    await expect.poll(() => this.step()).toBe(step);
  }

  /** A folio's counters as the simulator has them at the current step. */
  async folio(kind: 'zero' | 'hugezero'): Promise<{ refcount: number; pincount: number; id: number }> {
    const snap = await this.snapshot();
    const f = snap!.folios.find((x) => x.kind === kind)!;
    return { refcount: f.refcount, pincount: f.pincount, id: f.id };
  }

  /** Compare mode: choose the compare kernel's preset in the top bar ('' turns it off). */
  async setCompare(preset: string): Promise<void> {
    await this.page.getByLabel('Compare with kernel').selectOption(preset);
  }

  /** One side of the compare view (a = main run, b = compare run). */
  compareSide(side: 'a' | 'b'): Locator {
    return this.page.locator(`.compare-side[data-side="${side}"]`);
  }

  /** The counter a side's memory view shows for a folio (the refcount graph below it carries its own). */
  compareCounter(side: 'a' | 'b', folio: number, field = 'refcount'): Locator {
    return this.compareSide(side).locator(`.memory-svg [data-folio="${folio}"][data-field="${field}"]`);
  }

  /** The difference mark on a folio in one side of the compare view. */
  compareMark(side: 'a' | 'b', folio: number): Locator {
    return this.compareSide(side).locator(`.cmp-diff[data-folio="${folio}"]`);
  }

  /** Visible text elements whose computed font size is below `px`. */
  smallText(px: number): Promise<{ text: string; size: number; tag: string }[]> {
    return this.page.evaluate((min) => {
      const out: { text: string; size: number; tag: string }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set<Element>();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || seen.has(el) || !n.nodeValue?.trim()) continue;
        seen.add(el);
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
        // Effective size on screen: the computed size times any CSS zoom and SVG scale on the way up.
        const size = (el as Element & { currentCSSZoom?: number }).currentCSSZoom !== undefined
          ? parseFloat(style.fontSize) * ((el as Element & { currentCSSZoom: number }).currentCSSZoom)
          : parseFloat(style.fontSize);
        const svg = el.closest('svg');
        let scale = 1;
        if (svg && el instanceof SVGGraphicsElement) {
          const m = el.getScreenCTM();
          const zoom = (el as Element & { currentCSSZoom?: number }).currentCSSZoom ?? 1;
          if (m) scale = Math.hypot(m.a, m.b) / zoom;
        }
        const onScreen = size * scale;
        if (onScreen < min - 0.01) out.push({ text: n.nodeValue.trim().slice(0, 40), size: Math.round(onScreen * 10) / 10, tag: el.tagName });
      }
      return out;
    }, px);
  }
}
