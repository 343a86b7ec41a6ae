import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { checksUpTo, noteAt, noteSpans } from './layout';
import { NarrationView } from './NarrationView';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const builtin = (name: string) => runOf(readFileSync(`scenarios/builtin/${name}`, 'utf8'));
const pretty = (html: string) => `${html.replace(/></g, '>\n<')}\n`;
const count = (html: string, needle: string) => html.split(needle).length - 1;

function render(run: Run, step: number): string {
  return renderToStaticMarkup(
    <NarrationView
      title={run.title}
      step={step}
      event={run.eventAt(step)}
      note={noteAt(noteSpans(run.events), step)}
      elixirVersion={run.kernel.preset.elixir}
      kernelLabel={run.kernel.label}
      checks={checksUpTo(run.expectations, run.findings, step)}
      onSeek={() => {}}
    />,
  );
}

describe('NarrationView (HTML snapshots)', () => {
  const zeroWrite = builtin('01-dio-write-zero-page.scn');
  const vfio = builtin('03-vfio-zero-page.scn');

  it('zero-page write, a reference taken: caption, note, and an ten-deep chain linked to v6.4', async () => {
    const step = zeroWrite.events.findIndex((e) => e.text.includes('refcount 3 → 4')) + 1;
    const html = render(zeroWrite, step);
    expect(html).toContain('bio#1 takes a reference on the zero page (FOLL_GET): refcount 3 → 4.');
    expect(html).toContain('data-field="note"');
    expect(html).toContain('GUP-fast gives up on special PTEs');
    expect(count(html, '<a href="https://elixir.bootlin.com/linux/v6.4/C/ident/')).toBe(10);
    expect(count(html, 'target="_blank" rel="noopener noreferrer"')).toBe(10);
    expect(html).toContain('href="https://elixir.bootlin.com/linux/v6.4/C/ident/try_grab_page"');
    expect(html).toContain('<li class="innermost"><a href="https://elixir.bootlin.com/linux/v6.4/C/ident/try_grab_page"');
    expect(html).toContain('kernel <strong data-field="kernel">v6.4</strong>');
    expect(html).toContain('line 19');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/narration-zero-write-ref.html');
  });

  it('a read fault: "CPU load" is a plain pseudo-frame, not a link', async () => {
    const html = render(zeroWrite, 4);
    expect(html).toContain('<span class="nr-pseudo">CPU load</span>');
    expect(html).not.toContain('ident/CPU');
    expect(count(html, '<a href=')).toBe(2);
    expect(html).toContain('Reading memory that was never written maps the shared zero page');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/narration-zero-write-fault.html');
  });

  it('vfio at the end: checks with ✓ and ✗, leaks listed, each button jumping to its step', async () => {
    const html = render(vfio, vfio.lastStep);
    expect(count(html, 'class="nr-check ok')).toBe(vfio.expectations.filter((x) => x.ok).length);
    expect(count(html, 'class="nr-check bad')).toBe(2);
    expect(html).toContain('data-step="43"');
    expect(html).toContain('data-step="51"');
    expect(html).toContain('kernel <strong data-field="kernel">v5.10</strong>');
    expect(html).toContain('<span class="nr-bad-count"> 2 ✗</span>');
    await expect(pretty(html)).toMatchFileSnapshot('__snapshots__/narration-vfio-end.html');
  });

  it('step 0: the start caption, no chain, no checks yet', () => {
    const html = render(zeroWrite, 0);
    expect(html).toContain('nothing has happened yet');
    expect(html).not.toContain('<nav');
    expect(html).toContain('no checks yet');
  });
});
