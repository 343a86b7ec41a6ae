// Number words of the scenario language: decimal, 0x hex and binary-suffixed sizes (4K, 2M, 1G).

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

const SIZE_SUFFIXES: readonly (readonly [suffix: string, multiplier: number])[] = [
  ['G', GIB],
  ['M', MIB],
  ['K', KIB],
];

const DECIMAL = /^[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
// Lowercase suffixes are a lenient extension; the printer always writes uppercase.
const SIZE = /^([0-9]+)([KMGkmg])$/;
const ERRNO = /^-(E[A-Z0-9_]+)$/;

export type NumberReading =
  | { ok: true; value: number }
  | { ok: false; reason: 'syntax' | 'range' };

/** Reads a non-negative number word, telling a malformed word apart from one too large to hold exactly. */
export function readNumber(word: string): NumberReading {
  let value: number;
  if (DECIMAL.test(word)) {
    value = Number(word);
  } else if (HEX.test(word)) {
    value = Number.parseInt(word.slice(2), 16);
  } else {
    const match = SIZE.exec(word);
    const digits = match?.[1];
    const suffix = match?.[2]?.toUpperCase();
    const multiplier = SIZE_SUFFIXES.find(([s]) => s === suffix)?.[1];
    if (digits === undefined || multiplier === undefined) return { ok: false, reason: 'syntax' };
    value = Number(digits) * multiplier;
  }
  if (!Number.isSafeInteger(value)) return { ok: false, reason: 'range' };
  return { ok: true, value };
}

/** A non-negative number (`4096`, `0x1000`, `4K`), or undefined when the word is not one. */
export function parseNumber(word: string): number | undefined {
  const reading = readNumber(word);
  return reading.ok ? reading.value : undefined;
}

/** Like readNumber, but allows a leading minus sign (only `expect` values may be negative). */
export function readSignedNumber(word: string): NumberReading {
  if (!word.startsWith('-')) return readNumber(word);
  const reading = readNumber(word.slice(1));
  if (!reading.ok) return reading;
  return { ok: true, value: reading.value === 0 ? 0 : -reading.value };
}

export function parseSignedNumber(word: string): number | undefined {
  const reading = readSignedNumber(word);
  return reading.ok ? reading.value : undefined;
}

/** The errno name of a word such as `-ENOMEM` ("ENOMEM", without the minus sign), or undefined. */
export function parseErrnoName(word: string): string | undefined {
  return ERRNO.exec(word)?.[1];
}

/** A size with the largest exact binary suffix (16384 → "16K", 2097152 → "2M"), otherwise decimal. */
export function formatSize(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) return String(n === 0 ? 0 : n);
  for (const [suffix, multiplier] of SIZE_SUFFIXES) {
    if (n % multiplier === 0) return `${n / multiplier}${suffix}`;
  }
  return String(n);
}

/** An offset inside a mapping as used in `expect NAME+OFF`: 0 stays "0", anything else is hex. */
export function formatOffset(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) return String(n === 0 ? 0 : n);
  return `0x${n.toString(16)}`;
}
