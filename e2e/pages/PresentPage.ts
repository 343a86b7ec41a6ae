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
}
