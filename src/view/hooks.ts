// App-wide effects: playback, the keyboard, and keeping the URL in step with what is on screen.

import { useEffect, useRef } from 'react';
import { playbackStop, useExplorer } from '../store/explorer';
import { runsSettled } from '../store/simRuns';
import { decodeLink, encodeLink } from '../store/url';
import { currentLinkState, openLinkState } from '../store/urlOpen';
import { readMailText } from '../store/urlText';
import { DEFAULT_SCENARIO, findBuiltin, findLibrary } from '../store/scenarios';
import { actionForKey } from './actions';
import { usePrefs } from './prefs';
import { readDraft, refuseDrop, replaceText, useDrafts } from './draft';
import { usePresent } from './present/presentStore';
import { looksLikeTrace } from '../store/realtrace';
import { openTraceText } from './realtrace/importTrace';
import { isPictureFile } from './export/sniff';

/** Advance one event at a time at the chosen speed while playing. */
export function usePlayback(): void {
  const playing = useExplorer((s) => s.playing);
  const speed = useExplorer((s) => s.speed);
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let carry = 0;
    let frame = 0;
    const tick = (now: number) => {
      carry += ((now - last) / 1000) * speed;
      last = now;
      const whole = Math.floor(carry);
      if (whole > 0) {
        carry -= whole;
        const s = useExplorer.getState();
        // Where playing on stops: the next chapter start (when pausing at chapters) or the end.
        const stop = s.run ? playbackStop(s.run, s.step, s.pauseAtChapters) : 0;
        const next = Math.min(stop, s.step + whole);
        s.seek(next);
        if (next >= stop) {
          s.pause();
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed]);
}

/** Global shortcuts; `embedded` pages never take keys from the host document. */
export function useKeyboard(enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const action = actionForKey(e);
      if (!action) return;
      e.preventDefault();
      action.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** Open a dropped file as the scenario text, or refuse it with a message and change nothing. */
export async function openDroppedFile(file: File): Promise<void> {
  // A PNG or SVG exported by pinscope carries its link: it reopens that picture (the exporter loads on demand).
  if (await isPictureFile(file)) {
    const { openExportedFile } = await import('./export/exporter');
    return openExportedFile(file);
  }
  const refused = await refuseDrop(file);
  if (refused) {
    useExplorer.getState().setNotice(`Not opened: ${refused}. Drop a scenario text file (.scn).`);
    return;
  }
  const text = await file.text();
  if (looksLikeTrace(text)) return openTraceText(text, `the file "${file.name}"`);
  // Scenario text mailed with its `# pinscope |` header opens at the moment it names.
  const mailed = readMailText(text);
  if (mailed) return replaceText(`the file "${file.name}"`, () => openLinkState(mailed));
  replaceText(`the file "${file.name}"`, () => useExplorer.getState().load(text));
}

/** Open what the URL says (or the default scenario), then keep the URL up to date. */
export function useUrlSync(): void {
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      const params = new URLSearchParams(window.location.search);
      const builtin = params.get('scenario');
      const decoded = await decodeLink(window.location.hash);
      const store = useExplorer.getState();
      if (decoded.ok === true) {
        const { link } = decoded;
        await openLinkState(link);
        if (link.panel === 'findings') usePrefs.getState().setFindingsOpen(true);
      } else if (decoded.ok === false) {
        store.load(DEFAULT_SCENARIO.text, { scenarioId: DEFAULT_SCENARIO.id, notice: `This link could not be opened: ${decoded.reason}. Showing the default scenario instead.` });
      } else {
        const library = builtin ? findLibrary(builtin) : undefined;
        if (library) {
          // A library scenario opens on its first kernel, compared with its second.
          store.load(library.text, { scenarioId: library.id, ...(library.compare ? { kernel: library.compare[0] } : {}) });
          if (library.compare) store.setCompare(library.compare[1]);
        } else {
          const chosen = (builtin && findBuiltin(builtin)) || DEFAULT_SCENARIO;
          store.load(chosen.text, { scenarioId: chosen.id });
        }
      }
      // A draft from an earlier visit is offered back when something else opened (once it has).
      await runsSettled('main');
      const draft = readDraft();
      if (draft && draft.text !== useExplorer.getState().source) useDrafts.getState().offer(draft);
    })();
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastHash = '';
    const unsubscribe = useExplorer.subscribe((s, prev) => {
      if (!s.run) return;
      if (s.source === prev.source && s.kernelSpec === prev.kernelSpec && s.step === prev.step && s.compareSpec === prev.compareSpec && s.scenarioId === prev.scenarioId && s.selectedFolio === prev.selectedFolio) return;
      schedule();
    });
    const unsubscribePrefs = usePrefs.subscribe((p, prev) => {
      if (p.findingsOpen !== prev.findingsOpen && useExplorer.getState().run) schedule();
    });
    const unsubscribePresent = usePresent.subscribe((p, prev) => {
      if (p.presenting !== prev.presenting && useExplorer.getState().run) schedule();
    });
    function schedule() {
      clearTimeout(timer);
      const write = async () => {
        const panel = usePrefs.getState().findingsOpen ? 'findings' : undefined;
        const hash = await encodeLink({
          ...currentLinkState(),
          ...(panel ? { panel } : {}),
          ...(usePresent.getState().presenting ? { mode: 'present' as const } : {}),
        });
        if (hash === lastHash) return;
        lastHash = hash;
        window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
      };
      timer = setTimeout(() => void write(), 250);
    }
    return () => {
      clearTimeout(timer);
      unsubscribe();
      unsubscribePrefs();
      unsubscribePresent();
    };
  }, []);
}

/** Dropping a .scn file anywhere opens it (edited text can be had back with Undo), a real trace (.json from
 * scripts/record/record.sh) is imported, a PNG or SVG exported by pinscope reopens its picture; other files
 * are refused. */
export function useFileDrop(): void {
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = async (e: DragEvent) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      await openDroppedFile(file);
    };
    const onDrop = (e: DragEvent) => void drop(e);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
