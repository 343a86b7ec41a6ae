// What presentation mode adds around the four views: the chapter title and a slim progress line above, the
// caption below, a small "full screen" button when full screen was refused, and the black blanking screen.

import { useExplorer, selectEvent, selectRun, selectStep } from '../../store/explorer';
import { chapterAt } from '../../store/navigation';
import { startCaption } from '../narration/layout';
import { requestFullscreen, usePresent } from './presentStore';
import { openSpeakerView, useSpeakerHost } from './speakerHost';
import './present.css';

export function PresentChrome() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const event = useExplorer(selectEvent);
  const fullscreen = usePresent((p) => p.fullscreen);
  const blanked = usePresent((p) => p.blanked);
  const chapter = run ? chapterAt(run, step) : undefined;
  const last = run?.lastStep ?? 0;
  const progress = last > 0 ? step / last : 0;
  const caption = event ? event.text : run ? startCaption(run.title) : '';
  return (
    <>
      <header className="present-head">
        <h1 className="present-chapter" data-field="chapter">
          {chapter?.title ?? run?.title ?? ''}
        </h1>
        <span className="present-count" aria-label={`step ${step} of ${last}`}>
          {step} / {last}
        </span>
        {!fullscreen && (
          <button type="button" className="present-button" onClick={(e) => {
              requestFullscreen();
              e.currentTarget.blur();
            }}>
            full screen
          </button>
        )}
        <SpeakerButton className="present-button" />
        <button type="button" className="present-button" title="Leave presentation (Esc)" onClick={() => usePresent.getState().exit()}>
          exit
        </button>
        <div className="present-progress" role="progressbar" aria-label="Progress" aria-valuemin={0} aria-valuemax={last} aria-valuenow={step}>
          <div className="present-progress-bar" style={{ width: `${(progress * 100).toFixed(2)}%` }} />
        </div>
      </header>
      <footer className="present-foot">
        <p className="present-caption" data-field="caption" aria-live="polite" title={caption}>
          {caption}
        </p>
      </footer>
      {blanked && <div className="present-blank" data-blank="on" aria-label="Screen blanked (B to show)" role="img" />}
    </>
  );
}

/** The top bar's button into presentation mode (a user gesture, so full screen is allowed). */
export function PresentButton() {
  return (
    <button type="button" className="icon-button present-enter" title="Present (f)" onClick={(e) => {
        usePresent.getState().enter();
        e.currentTarget.blur();
      }}>
      Present
    </button>
  );
}

/** Opens the speaker view in a second window (a click, so the browser allows it), or brings it to the front. */
export function SpeakerButton({ className, short = false }: { className: string; /** "Speaker" on a crowded bar. */ short?: boolean }) {
  const open = useSpeakerHost((h) => h.open);
  const blocked = useSpeakerHost((h) => h.blocked);
  return (
    <button
      type="button"
      className={className}
      data-open={open ? 'yes' : 'no'}
      aria-label={short ? (blocked ? 'Speaker view (blocked)' : 'Speaker view') : undefined}
      title={blocked ? 'The browser blocked the window: allow pop-ups for this page, then try again' : 'Notes, next stop, call chain and a timer, in a second window'}
      onClick={(e) => {
        openSpeakerView();
        e.currentTarget.blur();
      }}
    >
      {short ? 'Speaker' : 'Speaker view'}
      {blocked ? ' (blocked)' : ''}
    </button>
  );
}
