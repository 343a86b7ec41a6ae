import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressText, decodeLink, encodeLink, LINK_VERSION } from './url';

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
      '#v=2&s=AAAA',
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
