// Kernel selections as text: `PRESET [TOGGLE=VALUE ...]`, as written on a scenario's `kernel` line, given to
// the command line's --kernel, and carried by a link's k= and c=. One parser for all of them: it checks the
// words' shape and what they name (the preset, each toggle and its value), and reports every problem at the
// column of the offending word (of the value, for a bad value), with a suggestion for a near-miss.

import { badToggleValue, findPreset, findToggle, resolveKernel, unknownPreset, unknownToggle, type KernelConfig, type KernelPolicy, type ResolvedKernel } from './policy';

/** One word of a selection, with the 1-based column of its first character. */
export interface SpecWord {
  text: string;
  col: number;
  /** The word was quoted (its column is the opening quote's). */
  quoted?: boolean;
}

export interface KernelSpecError {
  /** 1-based column, relative to the text given. */
  col: number;
  message: string;
}

export interface KernelSpecToggle {
  name: string;
  value: string;
  /** Column of the TOGGLE=VALUE word. */
  col: number;
}

export interface KernelSpecCheck {
  ok: boolean;
  /** What the words say, read leniently even when they are wrong (a word without `=` is a toggle set to ''). */
  config: KernelConfig;
  toggles: KernelSpecToggle[];
  /** The kernel, when there are no errors. */
  kernel?: ResolvedKernel;
  /** In column order, at most one per word. */
  errors: KernelSpecError[];
}

export const KERNEL_SPEC_USAGE = 'PRESET [TOGGLE=VALUE ...]';
const KERNEL_WORD = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const TOGGLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const quote = (word: string): string => JSON.stringify(word.length > 40 ? `${word.slice(0, 40)}...` : word);

/** Split a selection into words at spaces and tabs, keeping each word's column. */
export function splitKernelWords(text: string): SpecWord[] {
  const words: SpecWord[] = [];
  const re = /[^ \t\r\f\v\n]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) words.push({ text: m[0], col: m.index + 1 });
  return words;
}

/**
 * Check the words of a selection (the preset first). `missingCol` is where a missing preset is reported.
 * With `names: false` only the words' shape is checked, not whether the preset and toggles exist: the
 * scenario parser checks a `kernel` line that way (a scenario may name a kernel it is then run without,
 * under --kernel or a link's k=; the simulator judges the names of the kernel it runs).
 */
export function checkKernelWords(words: readonly SpecWord[], options: { missingCol?: number; names?: boolean } = {}): KernelSpecCheck {
  const missingCol = options.missingCol ?? 1;
  const names = options.names ?? true;
  const errors: KernelSpecError[] = [];
  const toggles: KernelSpecToggle[] = [];
  // No prototype: a toggle named `__proto__` is an unknown toggle like any other, not a prototype change.
  const overrides: Record<string, string> = Object.create(null) as Record<string, string>;
  const [presetWord, ...rest] = words;
  const preset = presetWord?.text ?? '';
  if (presetWord === undefined) errors.push({ col: missingCol, message: `missing PRESET (usage: kernel ${KERNEL_SPEC_USAGE})` });
  else if (!KERNEL_WORD.test(preset)) errors.push({ col: presetWord.col, message: `bad kernel preset ${quote(preset)} (such as v6.1 or latest)` });
  else if (names && !findPreset(preset)) errors.push({ col: presetWord.col, message: unknownPreset(preset) });
  for (const word of rest) {
    const eq = word.text.indexOf('=');
    const name = word.text.slice(0, Math.max(eq, 0));
    const value = word.text.slice(eq + 1);
    const valueCol = word.col + (word.quoted ? 1 : 0) + eq + 1;
    const error = (col: number, message: string) => errors.push({ col, message });
    const spec = findToggle(name);
    if (eq < 0) error(word.col, `expected TOGGLE=VALUE, got ${quote(word.text)} (usage: kernel ${KERNEL_SPEC_USAGE})`);
    else if (!TOGGLE_NAME.test(name)) error(word.col, `bad toggle name ${quote(name)}`);
    else if (value === '') error(valueCol, `missing value for toggle ${quote(name)}`);
    else if (!KERNEL_WORD.test(value)) error(valueCol, `bad value ${quote(value)} for toggle ${quote(name)}`);
    else if (toggles.some((t) => t.name === name)) error(word.col, `toggle ${quote(name)} given twice`);
    else if (names && !spec) error(word.col, unknownToggle(name));
    else if (names && spec && !spec.values.includes(value)) error(valueCol, badToggleValue(spec, value));
    if (eq > 0 && !toggles.some((t) => t.name === name)) toggles.push({ name, value, col: word.col });
    if (eq > 0) overrides[name] = value;
    else overrides[word.text] = '';
  }
  const config: KernelConfig = { preset, overrides: overrides as Partial<KernelPolicy> };
  if (errors.length > 0 || !names) return { ok: errors.length === 0, config, toggles, errors };
  const resolved = resolveKernel(config);
  // Every word was checked above, so this resolves; a failure would be a bug in one of the two.
  if (!resolved.ok) return { ok: false, config, toggles, errors: [{ col: presetWord?.col ?? missingCol, message: resolved.message }] };
  return { ok: true, config, toggles, kernel: resolved.kernel, errors };
}

/** Check a selection given as one line of text; columns are relative to `text`. */
export function checkKernelSpec(text: string): KernelSpecCheck {
  const words = splitKernelWords(text);
  const check = checkKernelWords(words);
  const newline = text.search(/[\n#]/);
  if (newline >= 0) {
    const error = { col: newline + 1, message: `a kernel selection is one line: ${KERNEL_SPEC_USAGE}` };
    return { ok: false, config: check.config, toggles: check.toggles, errors: [error, ...check.errors].sort((a, b) => a.col - b.col) };
  }
  return check;
}

/** What a selection says, without judging it (`simulate` reports what does not resolve). */
export function parseKernelSpec(text: string): KernelConfig {
  return checkKernelWords(splitKernelWords(text)).config;
}

/** `--kernel:1:7: unknown toggle "zero-pn" (did you mean "zero-pin"?)` */
export function formatKernelSpecError(e: KernelSpecError, source = '--kernel'): string {
  return `${source}:1:${e.col}: ${e.message}`;
}
