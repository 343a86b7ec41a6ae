import { linkHorizontal } from 'd3-shape';
import { describe, expect, it } from 'vitest';
import { pathLength } from './tween';

describe('pathLength', () => {
  it('measures lines exactly, a little over', () => {
    expect(pathLength('M0,0L3,4')).toBeCloseTo(5 * 1.01 + 1, 6);
    expect(pathLength('M0,0L3,4L3,10')).toBeCloseTo(11 * 1.01 + 1, 6);
  });

  it('measures a d3 link within a few percent above its true length, never below', () => {
    const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>()
      .source((d) => d.source)
      .target((d) => d.target);
    for (const [sx, sy, tx, ty] of [[8, 20, 400, 20], [8, 20, 400, 300], [200, 500, 520, 12.5]] as const) {
      const d = link({ source: [sx, sy], target: [tx, ty] })!;
      // A fine subdivision as the reference.
      const mx = (sx + tx) / 2;
      let ref = 0;
      let px: number = sx;
      let py: number = sy;
      for (let k = 1; k <= 10_000; k++) {
        const t = k / 10_000;
        const u = 1 - t;
        const x = u * u * u * sx + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * tx;
        const y = u * u * u * sy + 3 * u * u * t * sy + 3 * u * t * t * ty + t * t * t * ty;
        ref += Math.hypot(x - px, y - py);
        px = x;
        py = y;
      }
      const len = pathLength(d)!;
      expect(len).toBeGreaterThanOrEqual(ref);
      expect(len).toBeLessThan(ref * 1.03 + 1);
    }
  });

  it('gives up on what it does not read', () => {
    expect(pathLength('M0,0A5,5 0 0 1 10,0')).toBeUndefined();
    expect(pathLength('')).toBeUndefined();
  });
});
