import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressText, decodeLink, encodeLink, LINK_VERSION, MAX_HASH_CHARS, MAX_TEXT_CHARS, UPGRADERS, upgradeV1ToV2, type LinkState } from './url';
import { runSource } from './runSource';

describe('link codec', () => {
  it('round-trips text, kernel and step', async () => {
    const text = 'title T\nkernel v6.4\nmmap buf 16K\nread buf   # ünïcode ✓\n';
    const hash = await encodeLink({ text, kernel: 'v6.1 zero-pin=skip', step: 42 });
    expect(hash.startsWith(`#v=${LINK_VERSION}&`)).toBe(true);
    const back = await decodeLink(hash);
    expect(back).toEqual({ ok: true, link: { text, kernel: 'v6.1 zero-pin=skip', step: 42 } });
  });

  it('treats an empty hash as no link', async () => {
    expect(await decodeLink('')).toEqual({ ok: 'empty' });
    expect(await decodeLink('#')).toEqual({ ok: 'empty' });
  });

  it('explains damaged, truncated, foreign and hostile links instead of throwing', async () => {
    const good = await encodeLink({ text: 'mmap buf 4K\n'.repeat(50) });
    const truncated = good.slice(0, Math.floor(good.length * 0.7));
    const cases = [
      truncated,
      '#v=1',
      '#v=3&s=AAAA',
      '#v=0&s=AAAA',
      '#v=1.5&s=AAAA',
      '#s=AAAA',
      '#v=1&s=%%%',
      '#v=1&s=<script>alert(1)</script>',
      '#v=1&k=<img src=x>&s=' + good.split('s=')[1],
      '#v=1&t=-5&s=' + good.split('s=')[1],
      `#v=1&s=${'A'.repeat(130_000)}`,
    ];
    for (const hash of cases) {
      const r = await decodeLink(hash);
      expect({ hash: hash.slice(0, 40), ok: r.ok, explained: r.ok === false && r.reason.length > 5 }).toEqual({ hash: hash.slice(0, 40), ok: false, explained: true });
    }
  });

  it('refuses a deflate bomb: a small link that inflates past the size limit', async () => {
    const bomb = await compressText('x'.repeat(5_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    const r = await decodeLink(`#v=1&s=${bomb}`);
    expect(r.ok === false ? r.reason : 'decoded').toMatch(/larger than|too long/);
  });

  it('never throws on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (s) => {
        const r = await decodeLink(s);
        expect(['empty', true, false]).toContain(r.ok);
      }),
      { numRuns: 200 },
    );
  });

  it('opens an empty scenario and one of only comments (issue 9)', async () => {
    for (const text of ['', '# only a comment\n\n   # and another\n']) {
      const back = await decodeLink(await encodeLink({ text }));
      expect(back).toEqual({ ok: true, link: { text } });
      // The store runs it to an empty picture: a run with no events, not an error.
      const result = runSource(text, null);
      expect(result.errors).toEqual([]);
      expect(result.run?.lastStep).toBe(0);
      expect(result.run?.snapshot(0).folios.length).toBeGreaterThan(0); // the zero page is always there
    }
  });

  it('opens a text of exactly the length limit, even one that does not compress', async () => {
    // Random printable words: deflate gains little on them.
    let seed = 7;
    const rnd = () => {
      // mulberry32
      let t = (seed = (seed + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % 94;
    };
    let text = '';
    while (text.length < MAX_TEXT_CHARS) text += `# ${Array.from({ length: 60 }, () => String.fromCharCode(33 + rnd())).join('')}\n`;
    text = text.slice(0, MAX_TEXT_CHARS - 1) + '\n';
    expect(text.length).toBe(MAX_TEXT_CHARS);
    const hash = await encodeLink({ text });
    expect(hash.length).toBeGreaterThan(120_000); // longer than the old hash limit
    const back = await decodeLink(hash);
    expect(back.ok === true && back.link.text.length).toBe(MAX_TEXT_CHARS);
    expect((await decodeLink(await encodeLink({ text: `${text}x` }))).ok).toBe(false);
  });

  it('refuses a hash over the limit by its length, without decoding it', async () => {
    // Not even valid base64: a decoder would call it damaged; the length check answers first.
    const r = await decodeLink(`#v=1&s=${'%'.repeat(MAX_HASH_CHARS)}`);
    expect(r.ok === false ? r.reason : '').toMatch(/too long/);
    const big = await decodeLink(`#v=1&s=${'A'.repeat(2 * 1024 * 1024)}`);
    expect(big.ok === false ? big.reason : '').toMatch(/too long/);
  });

  it('reports unknown kernels and toggles in k= and c= like every other error', async () => {
    const s = (await encodeLink({ text: 'mmap buf 4K\n' })).split('s=')[1];
    const cases: [string, RegExp][] = [
      ['k=v6.5%20__proto__=x', /k=.*unknown toggle "__proto__"/],
      ['k=v6.5%20constructor=x', /k=.*unknown toggle "constructor"/],
      ['k=v99', /k=.*unknown kernel "v99"/],
      ['k=v6.5%20zero-pin=sometimes', /k=.*zero-pin takes/],
      ['c=v99', /c=.*unknown kernel "v99"/],
      ['c=v6.5%20__proto__=x', /c=.*unknown toggle/],
      ['c=%3Cb%3E', /c=.*malformed/],
    ];
    for (const [param, reason] of cases) {
      const r = await decodeLink(`#v=1&${param}&s=${s}`);
      expect({ param, reason: r.ok === false ? r.reason : 'accepted' }).toEqual({ param, reason: expect.stringMatching(reason) });
    }
    expect(await decodeLink(`#v=1&k=v6.1%20zero-pin=skip&c=v6.5&s=${s}`)).toMatchObject({ ok: true, link: { kernel: 'v6.1 zero-pin=skip', compare: 'v6.5' } });
  });
});

describe('link codec: scenario id, folio and panel', () => {
  it('round-trips them, and old links without them open as before', async () => {
    const text = 'title T\nmmap buf 4K\n';
    const hash = await encodeLink({ text, step: 3, scenarioId: 'library/zero-pin', folio: 2, panel: 'findings' });
    expect(await decodeLink(hash)).toEqual({ ok: true, link: { text, step: 3, scenarioId: 'library/zero-pin', folio: 2, panel: 'findings' } });
    const old = await encodeLink({ text, step: 3 });
    expect(old).not.toMatch(/[&#](id|f|p)=/);
    expect(await decodeLink(old)).toEqual({ ok: true, link: { text, step: 3 } });
  });

  it('ignores a malformed id, folio or panel instead of refusing the link', async () => {
    const hash = await encodeLink({ text: 'title T\n' });
    const data = hash.split('s=')[1];
    const back = await decodeLink(`#v=1&id=<b>&f=-1&p=<i>&s=${data}`);
    expect(back).toEqual({ ok: true, link: { text: 'title T\n' } });
  });
});

describe('link formats and upgraders', () => {
  it('upgrades format 1 to 2 keeping every format-1 field and dropping names format 1 did not mean', () => {
    const v1 = new URLSearchParams('v=1&k=v6.4&c=v6.5&t=7&id=x&f=2&p=findings&mode=embed&at=1.0.0&m=9&views=memory&s=AAAA');
    const v2 = upgradeV1ToV2(v1);
    expect(Object.fromEntries(v2)).toEqual({ v: '2', k: 'v6.4', c: 'v6.5', t: '7', id: 'x', f: '2', p: 'findings', s: 'AAAA' });
    expect(v1.get('v')).toBe('1'); // pure: the input is untouched
    expect(upgradeV1ToV2(new URLSearchParams('v=1&mode=present&s=A')).get('mode')).toBe('present');
    expect(Object.keys(UPGRADERS).map(Number)).toEqual(Array.from({ length: LINK_VERSION - 1 }, (_, i) => i + 1));
  });

  it('opens a format-1 link that mentions embed exactly as before: not as an embed', async () => {
    const data = (await encodeLink({ text: 'title T\n' })).split('s=')[1];
    expect(await decodeLink(`#v=1&mode=embed&keys=host&t=0&s=${data}`)).toEqual({ ok: true, link: { text: 'title T\n', step: 0 } });
  });

  it('round-trips the moment, model, fingerprint and embed options', async () => {
    const link: LinkState = {
      text: 'title T\n',
      step: 9,
      at: { line: 3, occurrence: 1, offset: 2 },
      chapter: { chapter: 0, offset: 5 },
      model: 1,
      fingerprint: { hash: '0123abcd', counters: [{ id: 1, refcount: -2147483647, mapcount: 0, pincount: 0 }, { id: 2, refcount: 3, mapcount: 1, pincount: 1 }] },
      mode: 'embed',
      embed: { views: ['graph', 'memory'], caption: false, start: 2, end: 30, autoplay: true, loop: true, keys: 'host', parentOrigin: 'http://localhost:8080' },
    };
    expect(await decodeLink(await encodeLink(link))).toEqual({ ok: true, link });
  });

  it('says which pinscope made a link of a newer format', async () => {
    const r = await decodeLink('#v=3&pv=0.4.2&s=AAAA');
    expect(r.ok === false ? r.reason : '').toMatch(/format version 3, made by pinscope 0\.4\.2; this is pinscope \d+\.\d+\.\d+, which reads formats up to 2/);
    const anonymous = await decodeLink('#v=7&pv=<b>&s=AAAA');
    expect(anonymous.ok === false ? anonymous.reason : '').toMatch(/made by a newer pinscope/);
  });
});
