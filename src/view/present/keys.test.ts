import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { useExplorer } from '../../store/explorer';
import { decodeLink, encodeLink } from '../../store/url';
import { presentCommand, stopTarget } from './keys';
import { usePresent } from './presentStore';
import { linkAsksPresent, runPresentCommand } from './usePresentation';

const key = (k: string, shiftKey = false, mods: { ctrlKey?: boolean } = {}) => ({ key: k, shiftKey, ...mods });

function runOf(path: string): Run {
  const parsed = parseScenario(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error('parse');
  const r = simulate(parsed.scenario);
  if (!r.ok) throw new Error(r.error.message);
  return r.run;
}

describe('clicker keys', () => {
  it('forward and back one stop with the keys clickers send', () => {
    expect(['PageDown', 'ArrowRight', ' ', 'n', 'N'].map((k) => presentCommand(key(k), true))).toEqual(['PageDown', 'ArrowRight', ' ', 'n', 'N'].map(() => ({ kind: 'stop', dir: 1 })));
    expect(['PageUp', 'ArrowLeft', 'p', 'P'].map((k) => presentCommand(key(k), true))).toEqual(['PageUp', 'ArrowLeft', 'p', 'P'].map(() => ({ kind: 'stop', dir: -1 })));
  });

  it('moves by chapter with Shift or Home / End', () => {
    expect(['PageDown', 'ArrowRight', ' ', 'N'].map((k) => presentCommand(key(k, true), true))).toEqual(['PageDown', 'ArrowRight', ' ', 'N'].map(() => ({ kind: 'chapter', dir: 1 })));
    expect(['PageUp', 'ArrowLeft', 'P'].map((k) => presentCommand(key(k, true), true))).toEqual(['PageUp', 'ArrowLeft', 'P'].map(() => ({ kind: 'chapter', dir: -1 })));
    expect(presentCommand(key('End'), true)).toEqual({ kind: 'chapter', dir: 1 });
    expect(presentCommand(key('Home'), true)).toEqual({ kind: 'chapter', dir: -1 });
  });

  it('blanks with B, . and /, but ? (Shift+/) stays the shortcut list', () => {
    expect(['b', 'B', '.', '/'].map((k) => presentCommand(key(k), true))).toEqual(['b', 'B', '.', '/'].map(() => ({ kind: 'blank' })));
    expect(presentCommand(key('/', true), true)).toBeUndefined();
    expect(presentCommand(key('?', true), true)).toBeUndefined();
  });

  it('takes F5 and Shift+F5 in both modes; Escape leaves; f enters', () => {
    for (const presenting of [true, false]) {
      expect(presentCommand(key('F5'), presenting)).toEqual({ kind: 'toggle' });
      expect(presentCommand(key('F5', true), presenting)).toEqual({ kind: 'toggle' });
    }
    expect(presentCommand(key('Escape'), true)).toEqual({ kind: 'exit' });
    expect(presentCommand(key('f'), false)).toEqual({ kind: 'toggle' });
  });

  it('leaves the desk keys alone', () => {
    expect(['PageDown', 'ArrowRight', ' ', 'n', 'b', '.', 'Home', 'End', 'Escape'].map((k) => presentCommand(key(k), false))).toEqual(['PageDown', 'ArrowRight', ' ', 'n', 'b', '.', 'Home', 'End', 'Escape'].map(() => undefined));
    expect(presentCommand(key('ArrowRight', false, { ctrlKey: true }), true)).toBeUndefined();
  });
});

describe('stops', () => {
  const run = runOf('scenarios/builtin/01-dio-write-zero-page.scn');

  it('a stop is one whole statement: it lands on its last event, the next event starts another statement', () => {
    let step = 0;
    const stops: number[] = [];
    while (step < run.lastStep) {
      const next = stopTarget(run, step, { kind: 'stop', dir: 1 });
      expect(next).toBeGreaterThan(step);
      stops.push(next);
      step = next;
    }
    // Every stop but the last ends a statement execution: the next event belongs to another one.
    const inside = stops.slice(0, -1).filter((s) => run.events[s]!.stmt === run.events[s - 1]!.stmt);
    expect(inside).toEqual([]);
    expect(stops.length).toBeGreaterThan(3);
    expect(stops.length).toBeLessThan(run.lastStep);
    const back = stopTarget(run, step, { kind: 'stop', dir: -1 });
    expect(back).toBeLessThan(step);
    expect(stopTarget(run, back, { kind: 'stop', dir: 1 })).toBe(step);
  });

  it('a chapter stop lands on the next and previous mark', () => {
    const starts = run.chapters.map((c) => c.step);
    expect(starts.length).toBeGreaterThan(1);
    expect(stopTarget(run, 0, { kind: 'chapter', dir: 1 })).toBe(starts.find((s) => s > 0));
    expect(stopTarget(run, starts[1]!, { kind: 'chapter', dir: -1 })).toBe(starts[0]);
  });
});

describe('running the commands', () => {
  const text = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');
  beforeEach(() => {
    usePresent.setState({ presenting: true, blanked: false, fullscreen: false });
    useExplorer.getState().load(text);
    useExplorer.getState().seek(0);
  });

  it('steps the explorer by statement and pauses playback', () => {
    const run = useExplorer.getState().run!;
    useExplorer.getState().play();
    runPresentCommand({ kind: 'stop', dir: 1 });
    expect(useExplorer.getState().step).toBe(stopTarget(run, 0, { kind: 'stop', dir: 1 }));
    expect(useExplorer.getState().playing).toBe(false);
    runPresentCommand({ kind: 'chapter', dir: 1 });
    expect(useExplorer.getState().step).toBe(run.chapters.find((c) => c.step > stopTarget(run, 0, { kind: 'stop', dir: 1 }))?.step ?? run.lastStep);
  });

  it('blanks and unblanks, only while presenting; leaving unblanks', () => {
    runPresentCommand({ kind: 'blank' });
    expect(usePresent.getState().blanked).toBe(true);
    runPresentCommand({ kind: 'blank' });
    expect(usePresent.getState().blanked).toBe(false);
    runPresentCommand({ kind: 'blank' });
    runPresentCommand({ kind: 'exit' });
    expect(usePresent.getState()).toMatchObject({ presenting: false, blanked: false });
    runPresentCommand({ kind: 'blank' });
    expect(usePresent.getState().blanked).toBe(false);
    runPresentCommand({ kind: 'toggle' });
    expect(usePresent.getState().presenting).toBe(true);
  });
});

describe('mode=present links', () => {
  it('is read from the query or the hash', () => {
    expect(linkAsksPresent('?mode=present', '')).toBe(true);
    expect(linkAsksPresent('', '#v=1&mode=present&s=x')).toBe(true);
    expect(linkAsksPresent('?mode=desk', '#v=1')).toBe(false);
  });

  it('round-trips through the link codec, and links without it still open', async () => {
    const with_ = await decodeLink(await encodeLink({ text: 'kernel v6.4\n', mode: 'present' }));
    expect(with_).toMatchObject({ ok: true, link: { mode: 'present' } });
    const without = await decodeLink(await encodeLink({ text: 'kernel v6.4\n' }));
    expect(without.ok).toBe(true);
    expect(without.ok === true && without.link.mode).toBeUndefined();
  });
});
