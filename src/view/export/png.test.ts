import { describe, expect, it } from 'vitest';
import { LINK_KEYWORD, crc32, encodeChunk, isPng, pngSize, readTextChunk, withTextChunk } from './png';

const ascii = (s: string) => new TextEncoder().encode(s);

/** A structurally valid 3×2 PNG: signature, IHDR, one IDAT, IEND (the pixels are not decoded here). */
function tinyPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 3);
  v.setUint32(4, 2);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), encodeChunk('IHDR', ihdr), encodeChunk('IDAT', new Uint8Array([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])), encodeChunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('PNG text chunks', () => {
  it('computes CRC-32 as PNG does', () => {
    // The check value of CRC-32/ISO-HDLC, and the CRC every PNG's IEND chunk ends with.
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
    const iend = encodeChunk('IEND', new Uint8Array());
    expect([...iend]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('writes the link in a tEXt chunk just before IEND and reads it back', () => {
    const png = tinyPng();
    const link = 'http://127.0.0.1:4173/#v=2&pv=0.1.0&t=12&s=abc-_';
    const out = withTextChunk(png, LINK_KEYWORD, link);
    expect(isPng(out)).toBe(true);
    expect(out.length).toBe(png.length + 12 + LINK_KEYWORD.length + 1 + link.length);
    expect(readTextChunk(out, LINK_KEYWORD)).toBe(link);
    expect(readTextChunk(out, 'Comment')).toBeNull();
    expect(readTextChunk(png, LINK_KEYWORD)).toBeNull();
    // The chunk sits before IEND, which stays last.
    const tail = String.fromCharCode(...out.subarray(out.length - 8, out.length - 4));
    expect(tail).toBe('IEND');
    const textAt = out.length - 12 - (12 + LINK_KEYWORD.length + 1 + link.length);
    expect(String.fromCharCode(...out.subarray(textAt + 4, textAt + 8))).toBe('tEXt');
    expect(pngSize(out)).toEqual({ width: 3, height: 2 });
  });

  it('replaces an earlier link instead of adding a second one', () => {
    const once = withTextChunk(tinyPng(), LINK_KEYWORD, 'first');
    const twice = withTextChunk(once, LINK_KEYWORD, 'second');
    expect(readTextChunk(twice, LINK_KEYWORD)).toBe('second');
    expect(twice.length).toBe(once.length + 1);
  });

  it('refuses damaged files and text a tEXt chunk cannot hold', () => {
    const out = withTextChunk(tinyPng(), LINK_KEYWORD, 'http://x/#v=2');
    const flipped = out.slice();
    flipped[flipped.length - 20]! ^= 1;
    expect(() => readTextChunk(flipped, LINK_KEYWORD)).toThrow(/bad CRC/);
    expect(() => readTextChunk(out.subarray(0, out.length - 6), LINK_KEYWORD)).toThrow(/truncated/);
    expect(() => readTextChunk(ascii('GIF89a....'), LINK_KEYWORD)).toThrow(/not a PNG/);
    expect(() => withTextChunk(tinyPng(), LINK_KEYWORD, 'snowman ☃')).toThrow(/Latin-1/);
    expect(() => withTextChunk(tinyPng(), '', 'x')).toThrow(/keyword/);
  });
});
