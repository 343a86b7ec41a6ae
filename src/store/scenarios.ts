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
