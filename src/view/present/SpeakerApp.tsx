// The speaker view: a second window, opened from the audience window, that follows it step by step. It shows
// the current and the next stop as small pictures, the notes and the caption of the current statement, the
// kernel call chain, the chapter and "stop K of N", and a timer. The clicker keys pressed here are sent to the
// audience window, which moves and tells this window where it is now (it never steps on its own).

import { useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import { useExplorer } from '../../store/explorer';
import { chapterAt } from '../../store/navigation';
import { runsSettled } from '../../store/simRuns';
import { chainLinks, noteAt, noteSpans, startCaption } from '../narration/layout';
import { presentCommand, stopTarget } from './keys';
import { openSpeakerLink } from './speakerLink';
import type { SpeakerCommand } from './speakerProtocol';
import { stopList, stopPosition } from './stops';
import { SlidePicture } from './SlidePicture';
import './speaker.css';

interface SpeakerViewState {
  /** The audience window answered and has not gone away. */
  connected: boolean;
  /** The audience window said goodbye (closed or reloaded). */
  gone: boolean;
  /** The scenario revision loaded here. */
  rev: number;
  presenting: boolean;
  blanked: boolean;
  send(command: SpeakerCommand): void;
}

export const useSpeakerView = create<SpeakerViewState>()(() => ({ connected: false, gone: false, rev: 0, presenting: false, blanked: false, send: () => undefined }));

/** Follow the audience window of `session`; send it the clicker keys pressed here. */
function useSpeakerClient(session: string): void {
  useEffect(() => {
    let pending: { rev: number; step: number } | null = null;
    const link = openSpeakerLink(session, () => (window.opener as Window | null) ?? null, (msg) => {
      const view = useSpeakerView.getState();
      if (msg.type === 'audience-scenario') {
        const store = useExplorer.getState();
        if (msg.rev !== view.rev || store.source !== msg.source || store.kernelSpec !== msg.kernel) {
          const step = pending?.rev === msg.rev ? pending.step : store.step;
          store.load(msg.source, { kernel: msg.kernel, step });
        }
        useSpeakerView.setState({ rev: msg.rev, connected: true, gone: false });
      } else if (msg.type === 'audience-step') {
        if (msg.rev !== view.rev) {
          // A step of a scenario not loaded here yet: ask for it.
          pending = { rev: msg.rev, step: msg.step };
          link.send({ type: 'speaker-hello' });
          return;
        }
        // After the scenario asked for above is shown (its run may still be on its way from the worker).
        void runsSettled('main').then(() => useExplorer.getState().seek(msg.step));
        useSpeakerView.setState({ presenting: msg.presenting, blanked: msg.blanked, connected: true, gone: false });
      } else if (msg.type === 'audience-bye') {
        useSpeakerView.setState({ connected: false, gone: true });
      }
    });
    useSpeakerView.setState({ send: (command) => link.send({ type: 'speaker-command', command }) });
    link.send({ type: 'speaker-hello' });
    // Until the audience window answers (it may still be starting), ask again now and then.
    const retry = setInterval(() => {
      if (!useSpeakerView.getState().connected) link.send({ type: 'speaker-hello' });
    }, 1000);
    const bye = () => link.send({ type: 'speaker-bye' });
    window.addEventListener('pagehide', bye);
    const onKey = (e: KeyboardEvent) => {
      const cmd = presentCommand(e, true);
      // F5 must never reload this window either; it toggles presentation in the audience window.
      if (e.key === 'F5') e.preventDefault();
      if (!cmd || cmd.kind === 'exit' || (cmd.kind === 'toggle' && e.key !== 'F5')) return;
      e.preventDefault();
      useSpeakerView.getState().send(cmd);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearInterval(retry);
      window.removeEventListener('pagehide', bye);
      window.removeEventListener('keydown', onKey);
      link.close();
    };
  }, [session]);
}

export function SpeakerApp({ session }: { session: string | undefined }) {
  useEffect(() => {
    document.title = 'pinscope · speaker view';
  }, []);
  if (!session) {
    return (
      <div className="speaker speaker-orphan">
        <p>This is pinscope's speaker view. Open it with the “Speaker view” button of the window you present from.</p>
      </div>
    );
  }
  return <Speaker session={session} />;
}

function Speaker({ session }: { session: string }) {
  useSpeakerClient(session);
  const run = useExplorer((s) => s.run);
  const snapshot = useExplorer((s) => s.snapshot);
  const step = useExplorer((s) => s.step);
  const { connected, gone, blanked, presenting, send } = useSpeakerView();
  const stops = useMemo(() => (run ? stopList(run) : []), [run]);
  const spans = useMemo(() => (run ? noteSpans(run.events) : []), [run]);
  const next = run && step < run.lastStep ? stopTarget(run, step, { kind: 'stop', dir: 1 }) : null;
  const nextSnapshot = useMemo(() => (run && next !== null ? run.snapshotAt(next) : null), [run, next]);
  if (!run || !snapshot) {
    return (
      <div className="speaker speaker-waiting">
        <p>{gone ? 'The presentation window was closed.' : 'Waiting for the presentation window…'}</p>
      </div>
    );
  }
  const { index, count } = stopPosition(stops, step);
  const chapter = chapterAt(run, step);
  const nextChapter = next !== null ? chapterAt(run, next) : undefined;
  const event = snapshot.event;
  const caption = event ? event.text : startCaption(run.title);
  const note = noteAt(spans, step);
  const links = event ? chainLinks(event.chain, run.kernel.preset.elixir) : [];
  const nextEvent = next !== null ? run.eventAt(next) : undefined;
  return (
    <div className="speaker" data-connected={connected ? 'yes' : 'no'}>
      <header className="speaker-head">
        <div className="speaker-where">
          <h1 className="speaker-chapter" data-field="chapter">
            {chapter?.title ?? run.title}
          </h1>
          <span className="speaker-stop" data-field="stop" data-step={step}>
            {index === 0 ? `start · ${count} stops` : `stop ${index} of ${count}`}
          </span>
          <span className="speaker-steps">
            step {step} / {run.lastStep}
          </span>
        </div>
        <Timer />
        <div className="speaker-status" role="status">
          {blanked && <span className="speaker-badge speaker-blanked">screen blanked</span>}
          {connected && !presenting && <span className="speaker-badge">audience at the desk</span>}
          <span className={`speaker-link ${connected ? 'on' : 'off'}`}>{connected ? 'in step' : gone ? 'presentation closed' : 'connecting…'}</span>
        </div>
      </header>
      <main className="speaker-main">
        <section className="speaker-now" aria-label="Current stop">
          <SlidePicture run={run} snapshot={snapshot} views={run.viewsAt(step)} label="Current stop" />
          <p className="speaker-caption" data-field="caption">
            {caption}
          </p>
          <div className="speaker-controls">
            <button type="button" onClick={(e) => { send({ kind: 'stop', dir: -1 }); e.currentTarget.blur(); }}>
              ◀ back
            </button>
            <button type="button" onClick={(e) => { send({ kind: 'stop', dir: 1 }); e.currentTarget.blur(); }}>
              next ▶
            </button>
            <button type="button" onClick={(e) => { send({ kind: 'blank' }); e.currentTarget.blur(); }} aria-pressed={blanked}>
              blank
            </button>
          </div>
        </section>
        <aside className="speaker-side">
          <section className="speaker-next" aria-label="Next stop">
            <h2>
              {next !== null ? `Next: stop ${index + 1}` : 'Next'}
              {nextChapter && nextChapter.index !== chapter?.index && <span className="speaker-next-chapter"> · new chapter: {nextChapter.title}</span>}
            </h2>
            {next !== null && nextSnapshot ? (
              <>
                <SlidePicture run={run} snapshot={nextSnapshot} views={run.viewsAt(next)} label="Next stop" />
                <p className="speaker-next-caption">{nextEvent?.text ?? ''}</p>
              </>
            ) : (
              <p className="speaker-end">End of the scenario.</p>
            )}
          </section>
          <section className="speaker-notes" aria-label="Notes">
            <h2>Notes</h2>
            {note ? <p data-field="note">{note}</p> : <p className="speaker-none">No note for this statement.</p>}
          </section>
          <section className="speaker-chain" aria-label="Kernel call chain">
            <h2>Kernel call chain {event && <span className="speaker-line">line {event.line}</span>}</h2>
            {links.length > 0 ? (
              <ol>
                {links.map((l, i) => (
                  <li key={`${i}-${l.name}`} style={{ paddingLeft: `${Math.min(i, 8) * 0.6}rem` }}>
                    {l.name}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="speaker-none">{event ? 'No kernel code runs for this step.' : 'Nothing has run yet.'}</p>
            )}
          </section>
        </aside>
      </main>
      <footer className="speaker-keys" aria-label="Keys">
        <span><kbd>PageDown</kbd> <kbd>→</kbd> <kbd>Space</kbd> <kbd>N</kbd> next</span>
        <span><kbd>PageUp</kbd> <kbd>←</kbd> <kbd>P</kbd> back</span>
        <span><kbd>Shift</kbd>, <kbd>Home</kbd> / <kbd>End</kbd> chapter</span>
        <span><kbd>B</kbd> <kbd>.</kbd> <kbd>/</kbd> blank</span>
      </footer>
    </div>
  );
}

function formatTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Time since the speaker view opened (or was reset), with pause and reset. */
function Timer() {
  const [state, setState] = useState(() => {
    const t = performance.now();
    return { running: true, since: t, banked: 0, now: t };
  });
  useEffect(() => {
    if (!state.running) return;
    const t = setInterval(() => setState((s) => ({ ...s, now: performance.now() })), 250);
    return () => clearInterval(t);
  }, [state.running]);
  const elapsed = state.banked + (state.running ? state.now - state.since : 0);
  const toggle = () =>
    setState((s) => {
      const t = performance.now();
      return s.running ? { running: false, since: t, banked: s.banked + t - s.since, now: t } : { running: true, since: t, banked: s.banked, now: t };
    });
  const reset = () =>
    setState((s) => {
      const t = performance.now();
      return { running: s.running, since: t, banked: 0, now: t };
    });
  return (
    <div className="speaker-timer" data-running={state.running ? 'yes' : 'no'}>
      <span className="speaker-time" role="timer" aria-label="Time elapsed">
        {formatTime(elapsed)}
      </span>
      <button type="button" onClick={(e) => { toggle(); e.currentTarget.blur(); }}>
        {state.running ? 'pause' : 'resume'}
      </button>
      <button type="button" onClick={(e) => { reset(); e.currentTarget.blur(); }}>
        reset
      </button>
    </div>
  );
}
