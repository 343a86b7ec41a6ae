import { describe, expect, it } from 'vitest';
import { checkKernelSpec, checkKernelWords, formatKernelSpecError, parseKernelSpec, splitKernelWords } from './kernelspec';
import { didYouMean, suggest } from './suggest';

const errors = (text: string) => checkKernelSpec(text).errors.map((e) => formatKernelSpecError(e));

describe('checkKernelSpec', () => {
  it('resolves a preset and toggles, keeping each toggle word’s column', () => {
    const r = checkKernelSpec('v6.1  zero-pin=skip\tdio=pin');
    expect(r.ok).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.kernel?.label).toBe('v6.1 zero-pin=skip dio=pin');
    expect(r.config).toEqual({ preset: 'v6.1', overrides: { 'zero-pin': 'skip', dio: 'pin' } });
    expect(r.toggles).toEqual([
      { name: 'zero-pin', value: 'skip', col: 7 },
      { name: 'dio', value: 'pin', col: 21 },
    ]);
  });

  it('points at the offending word, with a suggestion', () => {
    expect(errors('v6.1 zero-pn=skip')).toEqual(['--kernel:1:6: unknown toggle "zero-pn" (did you mean "zero-pin"?)']);
    expect(errors('v6.44')).toEqual(['--kernel:1:1: unknown kernel "v6.44" (did you mean "v6.4"?)']);
    expect(errors('  lastest')).toEqual(['--kernel:1:3: unknown kernel "lastest" (did you mean "latest"?)']);
    expect(errors('debian')).toEqual(['--kernel:1:1: unknown kernel "debian"']);
  });

  it('points at the value for a bad value', () => {
    expect(errors('v6.1 zero-pin=skp')).toEqual(['--kernel:1:15: toggle zero-pin takes count | skip | fail, not "skp" (did you mean "skip"?)']);
    expect(errors('v6.1 zero-pin=')).toEqual(['--kernel:1:15: missing value for toggle "zero-pin"']);
  });

  it('reports every bad word, in column order', () => {
    expect(errors('v6.44 zero-pn=skip dio=pin dio=get nope')).toEqual([
      '--kernel:1:1: unknown kernel "v6.44" (did you mean "v6.4"?)',
      '--kernel:1:7: unknown toggle "zero-pn" (did you mean "zero-pin"?)',
      '--kernel:1:28: toggle "dio" given twice',
      '--kernel:1:36: expected TOGGLE=VALUE, got "nope" (usage: kernel PRESET [TOGGLE=VALUE ...])',
    ]);
  });

  it('wants one line with a preset', () => {
    expect(errors('')).toEqual(['--kernel:1:1: missing PRESET (usage: kernel PRESET [TOGGLE=VALUE ...])']);
    expect(errors('v6.1 # comment')[0]).toBe('--kernel:1:6: a kernel selection is one line: PRESET [TOGGLE=VALUE ...]');
    expect(checkKernelSpec('v6.1\nmmap b 4K').ok).toBe(false);
    expect(errors('v6/1')).toEqual(['--kernel:1:1: bad kernel preset "v6/1" (such as v6.1 or latest)']);
  });

  it('checks only the shape when asked not to judge names (the scenario parser)', () => {
    const r = checkKernelWords(splitKernelWords('v9.99 what-if=maybe'), { names: false });
    expect(r).toMatchObject({ ok: true, errors: [], toggles: [{ name: 'what-if', value: 'maybe', col: 7 }] });
    expect(r.kernel).toBeUndefined();
    expect(checkKernelWords(splitKernelWords('v9.99 what-if'), { names: false }).errors[0]?.col).toBe(7);
    expect(checkKernelWords([], { missingCol: 8 }).errors).toEqual([{ col: 8, message: 'missing PRESET (usage: kernel PRESET [TOGGLE=VALUE ...])' }]);
  });

  it('reads a selection leniently for simulate, which reports what does not resolve', () => {
    expect(parseKernelSpec('v6.1 zero-pin')).toEqual({ preset: 'v6.1', overrides: { 'zero-pin': '' } });
    expect(parseKernelSpec(' latest  dio=get ')).toEqual({ preset: 'latest', overrides: { dio: 'get' } });
    expect(parseKernelSpec('')).toEqual({ preset: '', overrides: {} });
  });
});

describe('suggest (the one "did you mean" matcher)', () => {
  it('suggests within a few edits, counting a swapped pair as one', () => {
    expect(suggest('longtrem', ['write', 'longterm', 'fast'])).toBe('longterm');
    expect(suggest('zzzz', ['write', 'longterm', 'fast'])).toBeUndefined();
    expect(didYouMean('zero-pn', ['zero-pin', 'dio'])).toBe(' (did you mean "zero-pin"?)');
    expect(didYouMean('zzzz', ['zero-pin'])).toBe('');
  });
});
