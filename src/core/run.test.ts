import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type Run } from './index';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  const r = simulate(parsed.scenario);
  if (!r.ok) throw new Error(r.error.message);
  return r.run;
}

// Long enough for many checkpoints (one per 1024 events), with entities born and dying all along.
const LONG = `kernel v6.5
file f 1M
mmap keep 64K
write keep
${Array.from({ length: 40 }, (_, i) => `mmap b${i} 32K
read b${i}
dio write f 0 32K b${i}
pin p${i} keep ${(i % 16) * 4}K 4K
complete all
fork c${i}
task c${i}
write b${i}
exit
task main
munmap b${i}
unpin p${i}`).join('\n')}
`;

describe('seeking a long run', () => {
  const run = runOf(LONG);
  const fresh = () => runOf(LONG);

  it('is long enough to use checkpoints', () => {
    expect(run.lastStep).toBeGreaterThan(5000);
  });

  it('gives the same snapshot at a step whatever path led there', () => {
    const reference = fresh();
    const steps = [0, 1, 777, 1024, 1025, 2048, 3001, run.lastStep - 1, run.lastStep, 4096, 12, 2500];
    // Reference: walk forward step by step from the start (no checkpoint jumps).
    const expected = new Map<number, string>();
    reference.seek(0);
    for (let s = 0; s <= reference.lastStep; s++) {
      reference.seek(s);
      if (steps.includes(s)) expected.set(s, JSON.stringify(reference.snapshot(s)));
    }
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      run.seek(Math.floor(random() * (run.lastStep + 1)));
      const s = steps[i % steps.length]!;
      expect(JSON.stringify(run.snapshot(s)), `step ${s} after jump ${i}`).toBe(expected.get(s));
    }
  });
});
