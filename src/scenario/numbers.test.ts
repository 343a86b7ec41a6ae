import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatOffset,
  formatSize,
  parseErrnoName,
  parseNumber,
  parseSignedNumber,
  readNumber,
} from './numbers';

describe('parseNumber', () => {
  it.each([
    ['0', 0],
    ['512', 512],
    ['4096', 4096],
    ['0010', 10],
    ['0x1000', 4096],
    ['0X1f', 31],
    ['0xABCdef', 0xabcdef],
    ['4K', 4096],
    ['16K', 16384],
    ['2M', 2 * 1024 * 1024],
    ['1G', 1024 ** 3],
    ['4G', 2 ** 32],
    ['0K', 0],
    ['4k', 4096],
    ['2m', 2 * 1024 * 1024],
    ['1g', 1024 ** 3],
  ])('reads %s as %d', (word, value) => {
    expect(parseNumber(word)).toBe(value);
  });

  it.each(['', 'K', '16Q', '4KB', '4 K', '0x', '0x10K', '1.5M', '-1', '+1', '1e3', '0b101', '٣', '4T', ' 1', 'abc'])(
    'rejects %j',
    (word) => {
      expect(parseNumber(word)).toBeUndefined();
    },
  );

  it('tells a malformed word from one too large to hold exactly', () => {
    expect(readNumber('16Q')).toEqual({ ok: false, reason: 'syntax' });
    expect(readNumber('9007199254740992')).toEqual({ ok: false, reason: 'range' });
    expect(readNumber('9'.repeat(400))).toEqual({ ok: false, reason: 'range' });
    expect(readNumber('0x20000000000000')).toEqual({ ok: false, reason: 'range' });
    expect(readNumber('9007199254740991')).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
    expect(readNumber('8388608G')).toEqual({ ok: false, reason: 'range' });
  });

  it('reads every decimal and hex rendering of a safe integer back to itself', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(parseNumber(String(n))).toBe(n);
        expect(parseNumber(`0x${n.toString(16)}`)).toBe(n);
      }),
    );
  });
});

describe('signed numbers and error names (expect only)', () => {
  it('reads negative numbers without producing -0', () => {
    expect(parseSignedNumber('-1')).toBe(-1);
    expect(parseSignedNumber('-0x10')).toBe(-16);
    expect(parseSignedNumber('-4K')).toBe(-4096);
    expect(Object.is(parseSignedNumber('-0'), 0)).toBe(true);
    expect(parseSignedNumber('--1')).toBeUndefined();
    expect(parseSignedNumber('-')).toBeUndefined();
    expect(parseSignedNumber('7')).toBe(7);
  });

  it('reads errno names without the minus sign', () => {
    expect(parseErrnoName('-ENOMEM')).toBe('ENOMEM');
    expect(parseErrnoName('-EFAULT')).toBe('EFAULT');
    expect(parseErrnoName('-E2BIG')).toBe('E2BIG');
    expect(parseErrnoName('ENOMEM')).toBeUndefined();
    expect(parseErrnoName('-enomem')).toBeUndefined();
    expect(parseErrnoName('-E')).toBeUndefined();
    expect(parseErrnoName('-1')).toBeUndefined();
  });
});

describe('formatSize and formatOffset', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [512, '512'],
    [1000, '1000'],
    [1024, '1K'],
    [4096, '4K'],
    [16384, '16K'],
    [1536, '1536'],
    [3 * 1024, '3K'],
    [1024 * 1024, '1M'],
    [2097152, '2M'],
    [3 * 1024 * 1024 + 4096, '3076K'],
    [1024 ** 3, '1G'],
    [2 ** 32, '4G'],
    [4097, '4097'],
  ])('formats %d as %s', (n, text) => {
    expect(formatSize(n)).toBe(text);
  });

  it('prints offsets in hex, except 0', () => {
    expect(formatOffset(0)).toBe('0');
    expect(formatOffset(0x3000)).toBe('0x3000');
    expect(formatOffset(1)).toBe('0x1');
  });

  it('formats every safe size to a word that reads back to it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeNat(), fc.nat(1 << 20).map((n) => n * 1024), fc.nat(1 << 12).map((n) => n * 2 ** 30)), (n) => {
        expect(parseNumber(formatSize(n))).toBe(n);
        expect(parseNumber(formatOffset(n))).toBe(n);
      }),
    );
  });
});
