// The scenario text as the user is looking at it, for "Copy text" and "Download": the text they wrote, with its
// `kernel` line set to the kernel selected in the top bar (preset and toggles) and, in compare mode, a
// `# compare: A B` line naming both kernels, so the copied file runs exactly as shown. The kernel statement is
// printed by the scenario printer; every other line stays as written.

import { parseScenario, printStatement, type Statement } from '../../scenario';

export interface ShownKernel {
  preset: string;
  /** Toggle overrides on top of the preset, in the order they are shown. */
  toggles: Record<string, string>;
}

const COMPARE_LINE = /^#\s*compare:/;

/** `v6.5 zero-pin=count` as a compare-line word (toggles joined by `+`, as the library's `# compare:` lines). */
function compareWord(k: ShownKernel): string {
  return [k.preset, ...Object.entries(k.toggles).map(([n, v]) => `${n}=${v}`)].join('+');
}

function kernelLine(k: ShownKernel): string {
  const st: Statement = { op: 'kernel', pos: { line: 0, col: 0 }, preset: k.preset, toggles: Object.entries(k.toggles).map(([name, value]) => ({ name, value, pos: { line: 0, col: 0 } })) };
  return printStatement(st);
}

/**
 * `source` with its kernel line replaced by `kernel` (added after the title when it has none) and, when
 * `compare` is given, a `# compare:` line after it (replacing any there was). A text that does not parse is
 * returned with only the lines changed, as far as they can be found.
 */
export function textAsShown(source: string, kernel: ShownKernel | null, compare: ShownKernel | null): string {
  const lines = source.split('\n');
  const parsed = parseScenario(source);
  let kernelAt = -1;
  let titleAt = -1;
  if (parsed.ok) {
    for (const st of parsed.scenario.statements) {
      if (st.op === 'kernel' && kernelAt < 0) kernelAt = st.pos.line - 1;
      if (st.op === 'title' && titleAt < 0) titleAt = st.pos.line - 1;
    }
  } else {
    kernelAt = lines.findIndex((l) => /^\s*kernel\s/.test(l));
    titleAt = lines.findIndex((l) => /^\s*title\s/.test(l));
  }
  if (kernel) {
    if (kernelAt >= 0) lines[kernelAt] = kernelLine(kernel);
    else {
      kernelAt = titleAt + 1;
      lines.splice(kernelAt, 0, kernelLine(kernel));
    }
  }
  if (compare && kernel) {
    const old = lines.findIndex((l) => COMPARE_LINE.test(l));
    const line = `# compare: ${compareWord(kernel)} ${compareWord(compare)}`;
    if (old >= 0) lines[old] = line;
    else lines.splice(kernelAt + 1, 0, line);
  }
  return lines.join('\n');
}
