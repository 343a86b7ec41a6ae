import { describe, expect, it } from 'vitest';
import { parseCommand } from './protocol';
import { bounds, boundedMove, boundedStep } from './embedStore';
import { runSource } from '../../store/runSource';
import { LIBRARY_SCENARIOS } from '../../store/scenarios';

describe('the embed protocol', () => {
  it('takes the allow-listed commands with their fields', () => {
    expect(parseCommand({ pinscope: 1, type: 'goto', step: 4 })).toEqual({ ok: true, command: { type: 'goto', step: 4 } });
    expect(parseCommand({ pinscope: 1, type: 'nextChapter', extra: 'ignored' })).toEqual({ ok: true, command: { type: 'nextChapter' } });
    expect(parseCommand({ pinscope: 1, type: 'setOptions', views: ['graph', 'graph', 'memory'], theme: 'projector', caption: false })).toEqual({
      ok: true,
      command: { type: 'setOptions', views: ['graph', 'memory'], theme: 'projector', caption: false },
    });
    expect(parseCommand({ pinscope: 1, type: 'export', format: 'svg' })).toEqual({ ok: true, command: { type: 'export', format: 'svg' } });
    expect(parseCommand({ pinscope: 1, type: 'export', format: 'png', view: 'memory', scale: 3 })).toEqual({ ok: true, command: { type: 'export', format: 'png', view: 'memory', scale: 3 } });
    expect(parseCommand({ pinscope: 1, type: 'load', text: 'title T\n', kernel: 'v6.1 zero-pin=skip' })).toEqual({ ok: true, command: { type: 'load', text: 'title T\n', kernel: 'v6.1 zero-pin=skip' } });
  });

  it('refuses everything else with a reason', () => {
    const refused = [
      null,
      'goto',
      [],
      { type: 'next' },
      { pinscope: '1', type: 'next' },
      { pinscope: 1, type: 'eval' },
      { pinscope: 1, type: 'goto', step: -1 },
      { pinscope: 1, type: 'goto', step: 1.5 },
      { pinscope: 1, type: 'goto', step: '3' },
      { pinscope: 1, type: 'setOptions', views: ['editor'] },
      { pinscope: 1, type: 'setOptions', theme: 'neon' },
      { pinscope: 1, type: 'setOptions', caption: 'yes' },
      { pinscope: 1, type: 'load' },
      { pinscope: 1, type: 'load', text: 'x'.repeat(10_000_000) },
      { pinscope: 1, type: 'load', text: 'title T\n', kernel: 'v99' },
      { pinscope: 1, type: '__proto__' },
      { pinscope: 1, type: 'export' },
      { pinscope: 1, type: 'export', format: 'gif' },
      { pinscope: 1, type: 'export', format: 'svg', view: 'editor' },
      { pinscope: 1, type: 'export', format: 'svg', scale: 2 },
      { pinscope: 1, type: 'export', format: 'png', scale: 10 },
    ];
    for (const data of refused) {
      const r = parseCommand(data);
      expect({ data: JSON.stringify(data)?.slice(0, 60), ok: r.ok, reason: r.ok ? '' : r.reason.length > 3 }).toEqual({ data: JSON.stringify(data)?.slice(0, 60), ok: false, reason: true });
    }
  });
});

describe('bounded stepping', () => {
  const run = runSource(LIBRARY_SCENARIOS.find((s) => s.id.endsWith('dio-write-zero-page'))!.text, null).run!;

  it('keeps every move within [start, end]', () => {
    expect(bounds(run, 10, 14)).toEqual([10, 14]);
    expect(bounds(run, 14, 10)).toEqual([10, 14]);
    expect(bounds(run, null, 10_000)).toEqual([0, run.lastStep]);
    expect(boundedStep(run, 3, 10, 14)).toBe(10);
    expect(boundedMove(run, 14, 'event', 1, 10, 14)).toBe(14);
    expect(boundedMove(run, 10, 'chapter', -1, 10, 14)).toBe(10);
    expect(boundedMove(run, 12, 'event', 1, 10, 14)).toBe(13);
  });
});
