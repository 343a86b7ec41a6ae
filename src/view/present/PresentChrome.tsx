// What presentation mode adds around the four views: the chapter title and a slim progress line above, the
// caption below, a small "full screen" button when full screen was refused, and the black blanking screen.

import { useLayoutEffect, useRef, type RefObject } from 'react';
import { useExplorer, selectEvent, selectRun, selectStep } from '../../store/explorer';
import { chapterAt } from '../../store/navigation';
import { startCaption } from '../narration/layout';
import { requestFullscreen, usePresent } from './presentStore';
import { openSpeakerView, useSpeakerHost } from './speakerHost';
import { PRESENT_MIN_TEXT_PX } from './usePresentFit';
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
  const title = chapter?.title ?? run?.title ?? '';
  const titleRef = useRef<HTMLHeadingElement>(null);
  useFittedTitle(titleRef, title);
  return (
    <>
      <header className="present-head">
        <h1 className="present-chapter" data-field="chapter" ref={titleRef} title={title}>
          {title}
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

/**
 * Fits the chapter title to its line: its own size when it fits, else a size that does (text width goes with
 * the font size), never under 1rem or the projector's 16 px; a title still too long takes two lines at 1rem
 * (data-lines="2"; the CSS keeps the same height, so the picture never moves). Measured again when the line's
 * width changes.
 */
function useFittedTitle(ref: RefObject<HTMLElement | null>, text: string): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      el.style.fontSize = '';
      delete el.dataset.lines;
      if (!text) return;
      const room = el.clientWidth;
      if (room <= 0 || el.scrollWidth <= room) return;
      const full = parseFloat(getComputedStyle(el).fontSize);
      const least = Math.max(PRESENT_MIN_TEXT_PX, parseFloat(getComputedStyle(document.documentElement).fontSize) || 0);
      let size = Math.floor(((full * room) / el.scrollWidth) * 2) / 2;
      for (; size >= least; size -= 0.5) {
        el.style.fontSize = `${size}px`;
        if (el.scrollWidth <= room) return;
      }
      el.style.fontSize = '';
      el.dataset.lines = '2';
    };
    fit();
    if (typeof ResizeObserver === 'undefined') return;
    let width = el.clientWidth;
    const ro = new ResizeObserver(() => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      fit();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, text]);
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
