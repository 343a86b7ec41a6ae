import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, LIBRARY_SCENARIOS, comparePair, describeLibrary, findBuiltin, findLibrary } from './scenarios';

const HEADER = `title One bio, three kinds of page
# First line of the description.
# Second line of the description.
# compare: v6.1+zero-pin=fail v6.5
#
# A longer explanation that is not part of the description.
kernel v6.1

mark Start
read buf
`;

describe('library scenarios', () => {
  it('reads the title, the first two comment lines and the compare pair (toggles joined by +)', () => {
    const s = describeLibrary('library/x', HEADER);
    expect(s.title).toBe('One bio, three kinds of page');
    expect(s.description).toBe('First line of the description. Second line of the description.');
    expect(s.compare).toEqual(['v6.1 zero-pin=fail', 'v6.5']);
  });

  it('has no compare pair without the line, and no description without comments', () => {
    expect(comparePair('title T\n# Compare with: kernel v6.5\n')).toBeNull();
    const s = describeLibrary('library/y', 'title T\nkernel v6.4\nread buf\n');
    expect(s.compare).toBeNull();
    expect(s.description).toBe('');
  });

  it('takes one description line when the second line is the compare line', () => {
    expect(describeLibrary('library/z', 'title T\n# Only line.\n# compare: v6.4 v6.5\n').description).toBe('Only line.');
  });

  it('bundles the library as its own group with ids that never collide with the built-ins', () => {
    for (const s of LIBRARY_SCENARIOS) {
      expect(s.id.startsWith('library/')).toBe(true);
      expect(findLibrary(s.id)).toBe(s);
      expect(findBuiltin(s.id)).toBeUndefined();
      expect(s.title.length).toBeGreaterThan(0);
    }
    expect(BUILTIN_SCENARIOS.length).toBeGreaterThanOrEqual(4);
  });
});
