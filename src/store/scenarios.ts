// The built-in scenarios, bundled from scenarios/builtin/*.scn at build time.

const files = import.meta.glob('../../scenarios/builtin/*.scn', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface BuiltinScenario {
  id: string;
  title: string;
  /** The comment lines at the top, joined: a short description. */
  description: string;
  text: string;
}

function describe(id: string, text: string): BuiltinScenario {
  const title = /^title\s+(.*)$/m.exec(text)?.[1]?.trim() ?? id;
  const comments: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    if (line.startsWith('#')) comments.push(line.replace(/^#\s?/, ''));
    else if (comments.length > 0 || (line.trim() !== '' && !line.startsWith('kernel'))) break;
  }
  return { id, title, description: comments.join(' '), text };
}

export const BUILTIN_SCENARIOS: readonly BuiltinScenario[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, text]) => describe(path.replace(/^.*\/(\d+-)?/, '').replace(/\.scn$/, ''), text));

export const DEFAULT_SCENARIO: BuiltinScenario = BUILTIN_SCENARIOS[0] ?? { id: 'empty', title: 'Empty', description: '', text: 'title Empty\n' };

export function findBuiltin(id: string): BuiltinScenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.id === id);
}

// ---- the library: scenarios/library/*.scn, each with a two-line description and a `# compare: A B` pair ----

const libraryFiles = import.meta.glob('../../scenarios/library/*.scn', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface LibraryScenario extends BuiltinScenario {
  /** The kernels to compare (`v6.1 zero-pin=fail`, toggles already joined by spaces), or null. */
  compare: readonly [string, string] | null;
}

/** The `# compare: A B` line of a scenario (kernel specs with toggles joined by '+'), as two kernel specs. */
export function comparePair(text: string): [string, string] | null {
  const m = /^#\s*compare:\s+(\S+)\s+(\S+)\s*$/m.exec(text);
  if (!m) return null;
  return [m[1]!.replace(/\+/g, ' '), m[2]!.replace(/\+/g, ' ')];
}

/** A library file's header: its title, the first two lines of its first comment block, and its compare pair. */
export function describeLibrary(id: string, text: string): LibraryScenario {
  const lines = text.split('\n');
  const title = /^title\s+(.*)$/m.exec(text)?.[1]?.trim() ?? id;
  const start = lines.findIndex((l) => l.startsWith('#') && !/^#\s*compare:/.test(l));
  const description: string[] = [];
  for (const line of start < 0 ? [] : lines.slice(start, start + 2)) {
    if (!line.startsWith('#') || /^#\s*compare:/.test(line)) break;
    const words = line.replace(/^#\s?/, '').trim();
    if (words) description.push(words);
  }
  return { id, title, description: description.join(' '), text, compare: comparePair(text) };
}

export const LIBRARY_SCENARIOS: readonly LibraryScenario[] = Object.entries(libraryFiles)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, text]) => describeLibrary(`library/${path.replace(/^.*\/(\d+-)?/, '').replace(/\.scn$/, '')}`, text));

export function findLibrary(id: string): LibraryScenario | undefined {
  return LIBRARY_SCENARIOS.find((s) => s.id === id);
}
