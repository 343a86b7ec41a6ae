// Page object for the speaker view: the second window presentation mode opens. Its stop, its pictures, its
// notes and call chain, the timer, and the clicker keys pressed in it.
import { expect, type Locator, type Page } from '@playwright/test';

export class SpeakerPage {
  readonly stop: Locator;
  readonly chapter: Locator;
  readonly caption: Locator;
  readonly now: Locator;
  readonly next: Locator;
  readonly notes: Locator;
  readonly chain: Locator;
  readonly time: Locator;
  readonly timer: Locator;
  readonly link: Locator;

  constructor(readonly page: Page) {
    this.stop = page.locator('.speaker-stop');
    this.chapter = page.locator('.speaker-chapter');
    this.caption = page.locator('.speaker-caption');
    this.now = page.locator('.speaker-now .slide-picture');
    this.next = page.locator('.speaker-next .slide-picture');
    this.notes = page.locator('.speaker-notes');
    this.chain = page.locator('.speaker-chain li');
    this.time = page.locator('.speaker-time');
    this.timer = page.locator('.speaker-timer');
    this.link = page.locator('.speaker-link');
  }

  async ready(): Promise<void> {
    await this.page.waitForLoadState('domcontentloaded');
    await expect(this.link).toHaveText('in step');
  }

  /** The step the speaker view shows (it only ever shows what the audience window told it). */
  async shownStep(): Promise<number> {
    return Number(await this.stop.getAttribute('data-step'));
  }

  async expectStep(step: number): Promise<void> {
    await expect(this.stop).toHaveAttribute('data-step', String(step));
    await expect(this.now).toHaveAttribute('data-step', String(step));
  }

  async nextStep(): Promise<number | null> {
    if ((await this.next.count()) === 0) return null;
    return Number(await this.next.getAttribute('data-step'));
  }

  /** A clicker key pressed in the speaker window, with nothing focused. */
  async click(key: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
  }
}
