import { describe, expect, it } from 'vitest';
import { planFrames } from './frames';

describe('planFrames', () => {
  it('rests on the first step, then plays each transition over 300 ms and rests until the next step', () => {
    const plan = planFrames(4, 6, 2, 10);
    expect(plan.moments).toHaveLength(15);
    expect(plan.frameSeconds).toBeCloseTo(0.1);
    expect(plan.moments.slice(0, 5).every((m) => m.step === 4 && m.t === 1)).toBe(true);
    expect(plan.moments.slice(5, 10).map((m) => [m.step, Number(m.t.toFixed(3))])).toEqual([
      [5, 0],
      [5, 0.333],
      [5, 0.667],
      [5, 1],
      [5, 1],
    ]);
    expect(plan.moments[10]).toEqual({ step: 6, t: 0 });
  });

  it('fits the transition into the step when the pace leaves less than 300 ms a step', () => {
    const plan = planFrames(0, 1, 10, 30);
    expect(plan.moments.map((m) => `${m.step}:${m.t.toFixed(2)}`)).toEqual(['0:1.00', '0:1.00', '0:1.00', '1:0.00', '1:0.33', '1:0.67']);
  });

  it('refuses an empty range or a pace of zero', () => {
    expect(() => planFrames(5, 4, 1, 10)).toThrow(/no steps/);
    expect(() => planFrames(0, 4, 0, 10)).toThrow(/positive/);
  });
});
