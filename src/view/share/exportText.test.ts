import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { comparePair } from '../../store/scenarios';
import { textAsShown } from './exportText';

const TEXT = 'title Demo\nkernel v6.4\n# a comment\nmmap buf 16K  # keep me\nread buf\n';

describe('textAsShown', () => {
  it('sets the kernel line to the selected preset and toggles, leaving every other line as written', () => {
    const out = textAsShown(TEXT, { preset: 'v6.5', toggles: { 'zero-pin': 'count' } }, null);
    expect(out).toBe('title Demo\nkernel v6.5 zero-pin=count\n# a comment\nmmap buf 16K  # keep me\nread buf\n');
    expect(parseScenario(out).ok).toBe(true);
  });

  it('adds a kernel line after the title when the text has none', () => {
    const out = textAsShown('title Demo\nmmap buf 4K\n', { preset: 'v6.1', toggles: {} }, null);
    expect(out).toBe('title Demo\nkernel v6.1\nmmap buf 4K\n');
  });

  it('names both kernels in a # compare: line that the explorer reads back as the pair', () => {
    const out = textAsShown(TEXT, { preset: 'v6.4', toggles: {} }, { preset: 'v6.5', toggles: { 'zero-pin': 'skip' } });
    expect(out.split('\n').slice(0, 3)).toEqual(['title Demo', 'kernel v6.4', '# compare: v6.4 v6.5+zero-pin=skip']);
    expect(comparePair(out)).toEqual(['v6.4', 'v6.5 zero-pin=skip']);
  });

  it('replaces an existing # compare: line instead of adding a second', () => {
    const out = textAsShown('title D\n# compare: v6.1 v6.5\nkernel v6.1\n', { preset: 'v6.4', toggles: {} }, { preset: 'latest', toggles: {} });
    expect(out).toBe('title D\n# compare: v6.4 latest\nkernel v6.4\n');
  });

  it('leaves the text alone when no kernel is selected', () => {
    expect(textAsShown(TEXT, null, null)).toBe(TEXT);
  });
});
