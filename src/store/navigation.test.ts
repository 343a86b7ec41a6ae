import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario';
import { simulate, type Run } from '../core';
import { chapterAt, chapterStep, clampStep, moveStep, statementStep } from './navigation';

function runOf(path: string): Run {
  const parsed = parseScenario(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error('parse');
  const r = simulate(parsed.scenario);
  if (!r.ok) throw new Error(r.error.message);
  return r.run;
}

const run = runOf('scenarios/builtin/01-dio-write-zero-page.scn');

describe('step navigation', () => {
  it('clamps to the run', () => {
    expect(clampStep(run, -3)).toBe(0);
    expect(clampStep(run, 1e9)).toBe(run.lastStep);
  });

  it('moves by statement to the last event of the next statement and back', () => {
    let step = 0;
    const visited: number[] = [];
    while (step < run.lastStep) {
      const next = statementStep(run, step, 1);
      expect(next).toBeGreaterThan(step);
      // The event after the landing step belongs to another statement execution.
      const sameStatement = next < run.lastStep && run.events[next]!.stmt === run.events[next - 1]!.stmt;
      expect(sameStatement).toBe(false);
      visited.push(next);
      step = next;
    }
    for (let i = visited.length - 1; i > 0; i--) expect(statementStep(run, visited[i]!, -1)).toBe(visited[i - 1]);
    expect(statementStep(run, visited[0]!, -1)).toBe(0);
  });

  it('moves by chapter', () => {
    const starts = run.chapters.map((c) => c.step);
    expect(starts.length).toBe(3);
    expect(chapterStep(run, 0, 1)).toBe(starts[0]);
    expect(chapterStep(run, starts[0]!, 1)).toBe(starts[1]);
    expect(chapterStep(run, starts[2]!, 1)).toBe(run.lastStep);
    expect(chapterStep(run, starts[2]!, -1)).toBe(starts[1]);
    expect(chapterStep(run, starts[0]!, -1)).toBe(0);
    expect(chapterAt(run, starts[1]!)?.title).toBe(run.chapters[1]!.title);
  });

  it('moves by event', () => {
    expect(moveStep(run, 5, 'event', 1)).toBe(6);
    expect(moveStep(run, 0, 'event', -1)).toBe(0);
  });
});
