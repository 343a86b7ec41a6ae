// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useExplorer } from '../store/explorer';
import { BUILTIN_SCENARIOS } from '../store/scenarios';
import { readDraft, refuseDrop, replaceText, saveDraft, undoReplace, useDrafts } from './draft';
import { openDroppedFile } from './hooks';

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

beforeEach(() => {
  localStorage.clear();
  useDrafts.setState({ offered: null, undo: null });
  useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page' });
  useExplorer.getState().setNotice(null);
});

describe('drafts and undo', () => {
  it('keeps a draft in localStorage', () => {
    expect(readDraft()).toBeNull();
    saveDraft('title Mine\n', 'v6.5');
    expect(readDraft()).toMatchObject({ text: 'title Mine\n', kernel: 'v6.5' });
  });

  it('replacing edited text offers it back with Undo; replacing a built-in one does not', () => {
    const edited = TEXT.replace('mmap buf 16K', 'mmap buf 32K');
    useExplorer.getState().setSource(edited);
    expect(useExplorer.getState().scenarioId).toBeNull();
    const other = BUILTIN_SCENARIOS[1]!;
    replaceText(`"${other.title}"`, () => useExplorer.getState().load(other.text, { scenarioId: other.id }));
    expect(useExplorer.getState().source).toBe(other.text);
    expect(useDrafts.getState().undo?.by).toBe(`"${other.title}"`);
    undoReplace();
    expect(useExplorer.getState().source).toBe(edited);
    expect(useDrafts.getState().undo).toBeNull();
    // A built-in text as shipped has nothing to lose.
    useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page' });
    replaceText('x', () => useExplorer.getState().load(other.text, { scenarioId: other.id }));
    expect(useDrafts.getState().undo).toBeNull();
  });

  it('refuses a PNG that is not a pinscope export, or a binary file, with a message and changes nothing', async () => {
    const png = new File([PNG], 'shot.png', { type: 'image/png' });
    expect(await refuseDrop(png)).toMatch(/not a text file/);
    const binary = new File([PNG], 'data.scn', { type: '' });
    expect(await refuseDrop(binary)).toMatch(/NUL bytes/);
    expect(await refuseDrop(new File(['title ok\n'], 'ok.scn', { type: 'text/plain' }))).toBeNull();
    const before = useExplorer.getState().source;
    await openDroppedFile(png);
    expect(useExplorer.getState().source).toBe(before);
    expect(useExplorer.getState().scenarioId).toBe('dio-write-zero-page');
    // A PNG goes to the exporter's reader (a PNG exported by pinscope reopens its picture); this one is cut short.
    expect(useExplorer.getState().notice).toMatch(/^Not opened: "shot.png" is a damaged PNG/);
  });

  it('opens a dropped text file, with Undo when it replaced edited text', async () => {
    useExplorer.getState().setSource(TEXT + '\n# mine\n');
    await openDroppedFile(new File(['title Dropped\nmmap buf 4K\nread buf\n'], 'd.scn', { type: 'text/plain' }));
    expect(useExplorer.getState().source).toBe('title Dropped\nmmap buf 4K\nread buf\n');
    expect(useDrafts.getState().undo?.text).toBe(TEXT + '\n# mine\n');
  });
});
