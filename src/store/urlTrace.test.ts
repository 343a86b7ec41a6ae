// A real trace travels in a link (`rt=`): the link made while a trace is shown opens the trace again, beside the
// same run at the same step, as dropping the trace file would; a damaged trace is left out with a notice.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useExplorer } from './explorer';
import { agreementSummary } from './realtrace';
import { alignmentFor, importTrace, useRealTrace } from './realtraceStore';
import { decodeLink, encodeLink } from './url';
import { currentLinkState, openLinkState } from './urlOpen';

const trace = readFileSync(join(__dirname, '..', '..', 'e2e', 'fixtures', 'traces', '01-blockdev-dio-write-zero-page.6.1.trace.json'), 'utf8');

describe('a real trace in a link', () => {
  it('round-trips: the link reopens the trace, its preset and the step, and the checks still agree', async () => {
    expect(await importTrace(trace, 'the file t.json')).toBeNull();
    useExplorer.getState().seek(12);
    const sent = currentLinkState();
    expect(sent.realTrace).toBe(trace);
    const hash = await encodeLink(sent);
    expect(hash).toContain('rt=');

    useRealTrace.getState().clear();
    useExplorer.getState().load('title Something else\n');
    const decoded = await decodeLink(hash);
    if (decoded.ok !== true) throw new Error('the link did not decode');
    await openLinkState(decoded.link);

    const { run, source, step } = useExplorer.getState();
    const shown = useRealTrace.getState();
    expect(shown.trace?.kernel.release).toContain('6.1');
    expect(shown.pick?.spec).toBe('v6.1 zero-pin=skip');
    expect(run?.kernel.label).toBe('v6.1 zero-pin=skip');
    expect(step).toBe(12);
    expect(agreementSummary(alignmentFor(shown.trace, run, source)!)).toBe('agrees on 7 of 7 checks');
  });

  it('a damaged trace in a link is left out with a notice; the scenario still opens', async () => {
    useRealTrace.getState().clear();
    const hash = (await encodeLink({ text: 'title T\nmmap buf 4K\nread buf\n', step: 1 })).replace('&s=', '&rt=AAAA&s=');
    const decoded = await decodeLink(hash);
    if (decoded.ok !== true) throw new Error('the link did not decode');
    await openLinkState(decoded.link);
    expect(useRealTrace.getState().trace).toBeNull();
    expect(useExplorer.getState().source).toBe('title T\nmmap buf 4K\nread buf\n');
    expect(useExplorer.getState().notice).toContain("The link's real trace was left out");
  });
});
