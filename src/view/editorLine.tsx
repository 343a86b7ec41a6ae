// The editor's lines, each memoized: a step moves the current-line highlight, which changes the props of two
// lines (the one it leaves and the one it reaches), so only those re-render, whatever the text's length.

import { memo } from 'react';

export interface LineError {
  col: number;
}

/** One line of the highlight layer under the textarea (its text invisible, its marks visible). */
export const CodeLine = memo(function CodeLine({ text, current, error }: { text: string; current: boolean; error: LineError | undefined }) {
  return (
    <div className={`code-line${current ? ' current' : ''}${error ? ' error' : ''}`}>
      {error ? (
        <>
          <span className="invisible">{text.slice(0, Math.max(0, error.col - 1))}</span>
          <span className="error-mark">{text.slice(Math.max(0, error.col - 1)) || ' '}</span>
        </>
      ) : (
        <span className="invisible">{text || ' '}</span>
      )}
    </div>
  );
});

/** One line number of the gutter. */
export const GutterLine = memo(function GutterLine({ n, current, error }: { n: number; current: boolean; error: boolean }) {
  return <div className={`gutter-line${current ? ' current' : ''}${error ? ' error' : ''}`}>{n}</div>;
});
