// The scenario editor: a plain textarea over a highlight layer that marks the current statement's line and
// the lines with errors. Every change is parsed and run again; errors show at their line and column while
// the last good run stays on screen.

import { useEffect, useRef, useState } from 'react';
import { useExplorer, selectCurrentLine, selectErrors } from '../store/explorer';
import { usePrefs } from './prefs';
import { saveDraft } from './draft';
import './editor.css';

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

  // Keep the current line in view as the user steps.
  useEffect(() => {
    const ta = textarea.current;
    if (!ta || currentLine === undefined) return;
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    const top = (currentLine - 1) * lineHeight;
    if (top < ta.scrollTop || top > ta.scrollTop + ta.clientHeight - 2 * lineHeight) ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
  }, [currentLine]);

  const lines = draft.split('\n');
  const errorLines = new Map(errors.map((e) => [e.line, e]));
  const syncScroll = () => {
    const ta = textarea.current;
    if (!ta) return;
    if (layer.current) layer.current.style.transform = `translate(${-ta.scrollLeft}px, ${-ta.scrollTop}px)`;
    if (gutter.current) gutter.current.style.transform = `translateY(${-ta.scrollTop}px)`;
  };

  const collapsed = usePrefs((p) => p.editorCollapsed);
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
            {lines.map((_, i) => (
              <div key={i} className={`gutter-line${currentLine === i + 1 ? ' current' : ''}${errorLines.has(i + 1) ? ' error' : ''}`}>
                {i + 1}
              </div>
            ))}
          </div>
        </div>
        <div className="editor-code">
          <div className="editor-layer" aria-hidden="true">
            <div ref={layer}>
              {lines.map((line, i) => {
                const err = errorLines.get(i + 1);
                return (
                  <div key={i} className={`code-line${currentLine === i + 1 ? ' current' : ''}${err ? ' error' : ''}`}>
                    {err ? (
                      <>
                        <span className="invisible">{line.slice(0, Math.max(0, err.col - 1))}</span>
                        <span className="error-mark">{line.slice(Math.max(0, err.col - 1)) || ' '}</span>
                      </>
                    ) : (
                      <span className="invisible">{line || ' '}</span>
                    )}
                  </div>
                );
              })}
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

function jumpTo(ta: HTMLTextAreaElement | null, text: string, line: number, col: number): void {
  if (!ta) return;
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  offset += col - 1;
  ta.focus();
  ta.setSelectionRange(offset, offset);
}
