// The store at the edges (issue 9): an empty scenario and one of only comments open to an empty, explained
// picture, not to an error or a blank page.
import { describe, expect, it } from 'vitest';
import { EMPTY_NOTICE, useExplorer } from './explorer';

describe('opening a scenario that does nothing', () => {
  it.each([[''], ['# only comments\n\n# nothing else\n'], ['title Nothing yet\n']])('%j opens with an explanation', (text) => {
    useExplorer.getState().load(text);
    const s = useExplorer.getState();
    expect(s.errors).toEqual([]);
    expect(s.source).toBe(text);
    expect(s.run?.lastStep).toBe(0);
    expect(s.snapshot).not.toBeNull();
    expect(s.notice).toBe(EMPTY_NOTICE);
    // Stepping an empty run goes nowhere and does not throw.
    s.seek(5);
    s.move('event', 1);
    expect(useExplorer.getState().step).toBe(0);
  });

  it('a scenario that does something has no such notice', () => {
    useExplorer.getState().load('mmap buf 4K\nread buf\n');
    expect(useExplorer.getState().notice).toBeNull();
  });
});
