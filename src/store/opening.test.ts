import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openingStep, playbackStop } from './explorer';
import { runSource } from './runSource';

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

describe('the opening step and playback stops', () => {
  const run = runSource(TEXT, null).run!;

  it('opens on the first step, from the first chapter on, where kernel code runs', () => {
    const step = openingStep(run);
    expect(step).toBeGreaterThanOrEqual(run.chapters[0]!.step);
    expect(run.events[step - 1]!.chain.length).toBeGreaterThan(0);
    for (let s = run.chapters[0]!.step; s < step; s++) expect(run.events[s - 1]!.chain).toEqual([]);
  });

  it('stops playing at the next chapter start, or at the end when not pausing at chapters', () => {
    const [first, second] = run.chapters;
    expect(playbackStop(run, first!.step, true)).toBe(second!.step);
    expect(playbackStop(run, second!.step - 1, true)).toBe(second!.step);
    expect(playbackStop(run, first!.step, false)).toBe(run.lastStep);
    expect(playbackStop(run, run.chapters.at(-1)!.step, true)).toBe(run.lastStep);
  });
});
