// The scenario editor: a plain textarea over a highlight layer that marks the current statement's line and
// the lines with errors. Every change is parsed and run again; errors show at their line and column while
// the last good run stays on screen. The layer and the gutter draw only the blocks of lines in view (and the
// current line's), each line memoized, so a long text costs what is on screen; nothing here reads layout
// while React commits: the sizes are measured on mount and resize, the scroll position kept from scroll events.

import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useExplorer, selectCurrentLine, selectErrors } from '../store/explorer';
import { usePrefs } from './prefs';
import { saveDraft } from './draft';
import { CodeLine, GutterLine, type LineError } from './editorLine';
import './editor.css';

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export function Editor() {
  const source = useExplorer((s) => s.source);
  const setSource = useExplorer((s) => s.setSource);
  const errors = useExplorer(selectErrors);
  const currentLine = useExplorer(selectCurrentLine);
  const [draft, setDraft] = useState(source);
  const [loaded, setLoaded] = useState(source);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  // The textarea's line height and client height (px), and its scroll offset, as last measured.
  const metrics = useRef({ line: 20, height: 0, top: 0 });
  // The blocks in view, first and last.
  const [inView, setInView] = useState<[number, number]>([0, 1]);

  // Text loaded from elsewhere (a link, the picker) replaces the draft.
  if (source !== loaded) {
    setLoaded(source);
    setDraft(source);
  }

  useEffect(() => {
    if (draft === source) return;
    const t = setTimeout(() => {
      setSource(draft);
      // What the user typed outlives the visit (offered back next time).
      saveDraft(draft, useExplorer.getState().kernelSpec);
    }, 250);
    return () => clearTimeout(t);
  }, [draft, source, setSource]);

  const collapsed = usePrefs((p) => p.editorCollapsed);
  const blocksInView = () => {
    const m = metrics.current;
    const px = m.line * BLOCK_LINES;
    return [Math.max(0, Math.floor(m.top / px) - 1), Math.floor((m.top + Math.max(m.height, px)) / px) + 1] as [number, number];
  };
  const showBlocks = () => {
    const next = blocksInView();
    setInView((r) => (r[0] === next[0] && r[1] === next[1] ? r : next));
  };
  // Measured on mount and when the textarea is resized, never in a step's commit.
  useIsoLayoutEffect(() => {
    const ta = textarea.current;
    if (!ta) return;
    const measure = () => {
      metrics.current = { line: parseFloat(getComputedStyle(ta).lineHeight) || 20, height: ta.clientHeight, top: ta.scrollTop };
      showBlocks();
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(ta);
    return () => ro.disconnect();
  }, [collapsed]);

  // Keep the current line in view as the user steps: decided from the kept metrics, scrolled at the next
  // frame (where the layout is done once for the frame anyway).
  useEffect(() => {
    const ta = textarea.current;
    if (!ta || currentLine === undefined) return;
    const m = metrics.current;
    const top = (currentLine - 1) * m.line;
    if (top >= m.top && top <= m.top + m.height - 2 * m.line) return;
    const target = Math.max(0, top - m.height / 3);
    const frame = requestAnimationFrame(() => {
      ta.scrollTop = target;
    });
    return () => cancelAnimationFrame(frame);
  }, [currentLine]);

  // Split once per text, in blocks of lines; errors are grouped by block, so an unchanged block keeps its props.
  const blocks = useMemo(() => {
    const lines = draft.split('\n');
    const out: { first: number; lines: string[] }[] = [];
    for (let i = 0; i < lines.length; i += BLOCK_LINES) out.push({ first: i + 1, lines: lines.slice(i, i + BLOCK_LINES) });
    return out;
  }, [draft]);
  const errorsByBlock = useMemo(() => {
    const out = new Map<number, Map<number, LineError>>();
    for (const e of errors) {
      const b = Math.floor((e.line - 1) / BLOCK_LINES);
      (out.get(b) ?? out.set(b, new Map()).get(b)!).set(e.line, e);
    }
    return out;
  }, [errors]);
  const inBlock = (first: number, count: number) => (currentLine !== undefined && currentLine >= first && currentLine < first + count ? currentLine : 0);
  const syncScroll = () => {
    const ta = textarea.current;
    if (!ta) return;
    metrics.current.top = ta.scrollTop;
    if (layer.current) layer.current.style.transform = `translate(${-ta.scrollLeft}px, ${-ta.scrollTop}px)`;
    if (gutter.current) gutter.current.style.transform = `translateY(${-ta.scrollTop}px)`;
    showBlocks();
  };
  // The blocks drawn: those in view and the current line's; the others are gaps of their height.
  const currentBlock = currentLine === undefined ? -1 : Math.floor((currentLine - 1) / BLOCK_LINES);
  const drawn = (i: number) => (i >= inView[0] && i <= inView[1]) || i === currentBlock;
  const withGaps = (draw: (b: { first: number; lines: string[] }, i: number) => ReactNode) => {
    const out: ReactNode[] = [];
    let gap = 0;
    const flush = (i: number) => {
      if (gap > 0) out.push(<div key={`gap:${i}`} className="editor-gap" style={{ height: `calc(var(--editor-line) * ${gap})` }} />);
      gap = 0;
    };
    blocks.forEach((b, i) => {
      if (!drawn(i)) {
        gap += b.lines.length;
        return;
      }
      flush(i);
      out.push(draw(b, i));
    });
    flush(blocks.length);
    return out;
  };
  const toggle = (
    <button type="button" className="editor-collapse" aria-expanded={!collapsed} aria-controls="editor-body" title={collapsed ? 'Show the scenario editor' : 'Hide the scenario editor (the views get its room)'} onClick={() => usePrefs.getState().setEditorCollapsed(!collapsed)}>
      {collapsed ? 'Scenario ▸' : '◂ hide'}
    </button>
  );
  if (collapsed) {
    return (
      <section className="editor panel collapsed" aria-label="Scenario editor">
        <header className="panel-title">{toggle}</header>
      </section>
    );
  }

  return (
    <section className="editor panel" aria-label="Scenario editor">
      <header className="panel-title">
        <span>Scenario</span>
        {errors.length > 0 ? <span className="editor-status error">{errors.length} error{errors.length > 1 ? 's' : ''}: showing the last good run</span> : <span className="editor-status">runs as you type</span>}
        {toggle}
      </header>
      <div className="editor-body" id="editor-body">
        <div className="editor-gutter" aria-hidden="true">
          <div ref={gutter}>
            {withGaps((b, i) => (
              <GutterBlock key={i} first={b.first} count={b.lines.length} current={inBlock(b.first, b.lines.length)} errors={errorsByBlock.get(i)} />
            ))}
          </div>
        </div>
        <div className="editor-code">
          <div className="editor-layer" aria-hidden="true">
            <div ref={layer}>
              {withGaps((b, i) => (
                <CodeBlock key={i} first={b.first} lines={b.lines} current={inBlock(b.first, b.lines.length)} errors={errorsByBlock.get(i)} />
              ))}
            </div>
          </div>
          <textarea
            ref={textarea}
            className="editor-text"
            value={draft}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            aria-label="Scenario text"
            aria-invalid={errors.length > 0}
            onChange={(e) => setDraft(e.target.value)}
            onScroll={syncScroll}
          />
        </div>
      </div>
      {errors.length > 0 && (
        <ul className="editor-errors" role="alert">
          {errors.slice(0, 5).map((e, i) => (
            <li key={i}>
              <button type="button" className="link" onClick={() => jumpTo(textarea.current, draft, e.line, e.col)}>
                {e.line}:{e.col}
              </button>{' '}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Lines per block: a block re-renders only when the highlight enters or leaves it, or its text changes. */
const BLOCK_LINES = 64;

/**
 * A block of lines (numbers from `first`); `current` is the current line if it is in the block, else 0, so a
 * step elsewhere leaves the block's props unchanged and it is skipped without looking at its lines.
 */
const CodeBlock = memo(function CodeBlock({ first, lines, current, errors }: { first: number; lines: readonly string[]; current: number; errors: ReadonlyMap<number, LineError> | undefined }) {
  return (
    <>
      {lines.map((text, i) => (
        <CodeLine key={i} text={text} current={current === first + i} error={errors?.get(first + i)} />
      ))}
    </>
  );
});

const GutterBlock = memo(function GutterBlock({ first, count, current, errors }: { first: number; count: number; current: number; errors: ReadonlyMap<number, LineError> | undefined }) {
  return (
    <>
      {Array.from({ length: count }, (_, i) => (
        <GutterLine key={i} n={first + i} current={current === first + i} error={errors?.has(first + i) ?? false} />
      ))}
    </>
  );
});

function jumpTo(ta: HTMLTextAreaElement | null, text: string, line: number, col: number): void {
  if (!ta) return;
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  offset += col - 1;
  ta.focus();
  ta.setSelectionRange(offset, offset);
}
