import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { SpeakerPeer, readSpeakerMessage, speakerSession, speakerUrl } from './speakerProtocol';
import { postTarget } from './speakerLink';
import { stopList, stopPosition } from './stops';
import { stopTarget } from './keys';

const env = { pinscope: 1, session: 'sess1', from: 'winA', seq: 1 };

describe('reading messages', () => {
  it('takes each known message with its fields', () => {
    expect(readSpeakerMessage({ ...env, type: 'speaker-hello' })).toEqual({ ...env, type: 'speaker-hello' });
    expect(readSpeakerMessage({ ...env, type: 'speaker-command', command: { kind: 'stop', dir: -1 } })).toEqual({ ...env, type: 'speaker-command', command: { kind: 'stop', dir: -1 } });
    expect(readSpeakerMessage({ ...env, type: 'speaker-command', command: { kind: 'blank', extra: 1 } })).toEqual({ ...env, type: 'speaker-command', command: { kind: 'blank' } });
    const scenario = { ...env, type: 'audience-scenario', rev: 3, source: 'kernel v6.4\n', kernel: null, title: 't' };
    expect(readSpeakerMessage(scenario)).toEqual(scenario);
    const step = { ...env, type: 'audience-step', rev: 3, step: 12, presenting: true, blanked: false };
    expect(readSpeakerMessage(step)).toEqual(step);
    expect(readSpeakerMessage({ ...env, type: 'audience-bye' })?.type).toBe('audience-bye');
  });

  it('ignores what is not ours, not this version, of an unknown type, or malformed', () => {
    const bad = [
      null,
      'speaker-hello',
      [],
      { type: 'speaker-hello', session: 'sess1', from: 'winA', seq: 1 },
      { ...env, pinscope: 2, type: 'speaker-hello' },
      { ...env, type: 'speaker-dance' },
      { ...env, type: 'speaker-command', command: { kind: 'exit' } },
      { ...env, type: 'speaker-command', command: { kind: 'stop', dir: 2 } },
      { ...env, type: 'speaker-command' },
      { ...env, type: 'audience-step', rev: 1, step: -1, presenting: true, blanked: false },
      { ...env, type: 'audience-step', rev: 1, step: 1.5, presenting: true, blanked: false },
      { ...env, type: 'audience-step', rev: 1, step: 1, presenting: 'yes', blanked: false },
      { ...env, type: 'audience-scenario', rev: 1, source: 7, kernel: null, title: '' },
      { ...env, type: 'audience-scenario', rev: 1, source: 'x'.repeat(400_001), kernel: null, title: '' },
      { ...env, session: 'no spaces', type: 'speaker-hello' },
      { ...env, seq: -1, type: 'speaker-hello' },
    ];
    expect(bad.map((m) => readSpeakerMessage(m))).toEqual(bad.map(() => undefined));
  });
});

describe('a peer', () => {
  it('stamps its messages with the session, its id and a rising number', () => {
    const a = new SpeakerPeer('sess1');
    const m1 = a.stamp({ type: 'speaker-hello' });
    const m2 = a.stamp({ type: 'speaker-command', command: { kind: 'stop', dir: 1 } });
    expect([m1.session, m1.from, m1.seq, m2.seq]).toEqual(['sess1', a.from, 1, 2]);
    expect(readSpeakerMessage(JSON.parse(JSON.stringify(m2)))).toEqual(m2);
  });

  it('takes a message once when it comes over both transports, in any interleaving', () => {
    const a = new SpeakerPeer('sess1');
    const b = new SpeakerPeer('sess1');
    const sent = [1, 2, 3].map((n) => a.stamp({ type: 'speaker-command', command: { kind: 'stop', dir: n % 2 ? 1 : -1 } }));
    // Channel: 1 2 3; window: 1 2 3; interleaved as the event loop delivers them.
    const arrivals = [sent[0], sent[0], sent[1], sent[2], sent[1], sent[2]];
    const taken = arrivals.map((m) => b.accept(m)?.seq ?? null);
    expect(taken).toEqual([1, null, 2, 3, null, null]);
  });

  it('ignores its own messages and other sessions', () => {
    const a = new SpeakerPeer('sess1');
    expect(a.accept(a.stamp({ type: 'speaker-hello' }))).toBeUndefined();
    expect(a.accept(new SpeakerPeer('other').stamp({ type: 'speaker-hello' }))).toBeUndefined();
    expect(a.accept(new SpeakerPeer('sess1').stamp({ type: 'speaker-hello' }))?.type).toBe('speaker-hello');
  });
});

describe('the speaker window address', () => {
  it('adds mode=speaker and the session, keeping the page and dropping mode=present', () => {
    const url = speakerUrl({ pathname: '/pinscope/', search: '?mode=present&scenario=vfio-zero-page&x=1' }, 'abc123');
    expect(url).toBe('/pinscope/?x=1&mode=speaker&session=abc123');
    expect(speakerSession(url.slice(url.indexOf('?')))).toBe('abc123');
    expect(speakerSession('?mode=present&session=abc123')).toBeUndefined();
    expect(speakerSession('?mode=speaker&session=<bad>')).toBeUndefined();
  });
});

describe('stops, as the speaker view counts them', () => {
  const parsed = parseScenario(readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8'));
  if (!parsed.ok) throw new Error('parse');
  const out = simulate(parsed.scenario);
  if (!out.ok) throw new Error(out.error.message);
  const run: Run = out.run;
  const stops = stopList(run);

  it('are where "next" lands from step 0, ending at the last step', () => {
    expect(stops[0]).toBe(stopTarget(run, 0, { kind: 'stop', dir: 1 }));
    expect(stops[stops.length - 1]).toBe(run.lastStep);
    for (let i = 1; i < stops.length; i++) expect(stops[i]).toBe(stopTarget(run, stops[i - 1]!, { kind: 'stop', dir: 1 }));
  });

  it('count the stops at or before a step', () => {
    expect(stopPosition(stops, 0)).toEqual({ index: 0, count: stops.length });
    expect(stopPosition(stops, stops[0]!)).toEqual({ index: 1, count: stops.length });
    expect(stopPosition(stops, stops[2]! - 1).index).toBe(2);
    expect(stopPosition(stops, run.lastStep).index).toBe(stops.length);
  });
});

describe('postTarget', () => {
  it('posts to our own origin over http(s), and to "*" from file:// pages (an opaque origin no window matches)', () => {
    expect(postTarget({ origin: 'https://example.org', protocol: 'https:' })).toBe('https://example.org');
    expect(postTarget({ origin: 'file://', protocol: 'file:' })).toBe('*');
    expect(postTarget({ origin: 'null', protocol: 'file:' })).toBe('*');
  });
});
