import { describe, expect, it } from 'vitest';
import { fitZoom } from './usePresentFit';

describe('fitZoom', () => {
  it('keeps the theme zoom when the picture fits', () => {
    expect(fitZoom(900, 376, 1.8, 20.8)).toBe(1.8);
  });
  it('draws a too-wide picture smaller, just enough to fit', () => {
    const z = fitZoom(620, 376, 1.8, 20.8);
    expect(z).toBeLessThan(1.8);
    expect(620 / z).toBeGreaterThanOrEqual(376);
  });
  it('never draws the smallest text under 16 px, even when the picture then does not fit', () => {
    const z = fitZoom(300, 376, 1.8, 20.8);
    expect((20.8 * z) / 1.8).toBeGreaterThanOrEqual(16);
  });
});
