import { beforeEach, describe, expect, it } from 'vitest';
import { useExplorer } from './explorer';
import { LIBRARY_SCENARIOS } from './scenarios';
import { openLinkState } from './urlOpen';
import { looksLikeMailText, mailHeader, mailMomentOf, readMailText, withMailHeader } from './urlText';
import { textAsShown, type ShownKernel } from '../view/share/exportText';

/** What Copy text gives for the explorer's state (TopBar's shownText, without the DOM). */
function copyText(): string {
  const s = useExplorer.getState();
  const shown = (k: NonNullable<typeof s.run>['kernel']): ShownKernel => ({ preset: k.preset.name, toggles: { ...(k.overrides as Record<string, string>) } });
  const comparing = s.compareRun !== null;
  const text = textAsShown(s.source, shown(s.run!.kernel), comparing ? shown(s.compareRun!.kernel) : null);
  return withMailHeader(text, mailMomentOf(s.run!, s.step, comparing ? s.compareRun : null));
}

beforeEach(() => useExplorer.getState().setCompare(null));

describe('the mail form of a link', () => {
  const zero = LIBRARY_SCENARIOS.find((s) => s.id.endsWith('dio-write-zero-page'))!;

  it('has one readable header line naming kernels and moment', () => {
    expect(mailHeader({ step: 66, at: { line: 46, occurrence: 0, offset: 10 }, chapter: { chapter: 3, offset: 11 }, kernel: 'v6.1 zero-pin=skip', compare: 'v6.5', model: 1 })).toBe(
      '# pinscope | kernel v6.1 zero-pin=skip | compare v6.5 | step 66 | at line 46, run 1, event 11 | chapter 4 +11 | model 1',
    );
  });

  it('round-trips with Copy text: pasted back it opens the same moment, kernels and text', async () => {
    await openLinkState({ text: zero.text, kernel: 'v6.4 zero-pin=skip', compare: 'v6.5' });
    useExplorer.getState().seek(66);
    const sent = copyText();
    expect(looksLikeMailText(sent)).toBe(true);
    const before = useExplorer.getState();
    const moment = { step: before.step, kernel: before.run!.kernel.label, compare: before.compareRun!.kernel.label, counts: before.snapshot!.folios.map((f) => f.refcount) };

    useExplorer.getState().setCompare(null);
    useExplorer.getState().load('title Something else\n');
    await openLinkState(readMailText(`\n${sent.replace(/\n/g, '\r\n')}`)!); // mail clients add CRLF and blank lines
    const after = useExplorer.getState();
    expect({ step: after.step, kernel: after.run!.kernel.label, compare: after.compareRun?.kernel.label, counts: after.snapshot!.folios.map((f) => f.refcount) }).toEqual(moment);
    expect(copyText()).toBe(sent);
  });

  it('opens a mangled header as far as it can be read, and refuses nothing else', () => {
    const link = readMailText('# pinscope | kernel v99 | step x | at line 5, run 1, event 2\ntitle T\n')!;
    expect(link).toEqual({ text: 'title T\n', at: { line: 5, occurrence: 0, offset: 1 } });
    expect(readMailText('title T\n# pinscope | step 3\n')).toBeNull();
  });
});
