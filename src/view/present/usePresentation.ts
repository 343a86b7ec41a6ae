// Presentation mode's effects: the clicker keys (taken before the desk's shortcuts), `mode=present` links,
// the projector theme on the root, and leaving when the browser's own full screen is left.

import { useEffect } from 'react';
import { useExplorer } from '../../store/explorer';
import { ownsKeys } from '../actions';
import { finishAnimations } from './animations';
import { presentCommand, stopTarget, type PresentCommand } from './keys';
import { usePresent } from './presentStore';
import { setSpeakerCommandRunner } from './speakerHost';

/** Run a clicker command: any running animation ends first, so a key pressed mid-animation is never lost. */
export function runPresentCommand(cmd: PresentCommand): void {
  const present = usePresent.getState();
  if (cmd.kind === 'toggle') return present.toggle();
  if (cmd.kind === 'exit') return present.exit();
  if (cmd.kind === 'blank') return present.toggleBlank();
  finishAnimations();
  const s = useExplorer.getState();
  if (!s.run) return;
  if (s.playing) s.pause();
  s.seek(stopTarget(s.run, s.step, cmd));
}

// The speaker view's clicker keys run here, in the audience window, exactly as its own keys do.
setSpeakerCommandRunner(runPresentCommand);

/** Whether the page's link asks for presentation mode (`?mode=present` or `#…&mode=present`). */
export function linkAsksPresent(search: string, hash: string): boolean {
  const fromQuery = new URLSearchParams(search).get('mode');
  const fromHash = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('mode');
  return fromQuery === 'present' || fromHash === 'present';
}

export function usePresentation(): void {
  const presenting = usePresent((p) => p.presenting);

  useEffect(() => {
    if (linkAsksPresent(window.location.search, window.location.hash)) usePresent.setState({ presenting: true });
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (presenting) root.setAttribute('data-theme', 'projector');
    else if (root.getAttribute('data-theme') === 'projector') root.removeAttribute('data-theme');
    // Leaving: a `?mode=present` query must not bring presentation back on reload.
    const params = new URLSearchParams(window.location.search);
    if (!presenting && params.get('mode') === 'present') {
      params.delete('mode');
      const query = params.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
    }
  }, [presenting]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { presenting: on } = usePresent.getState();
      if (ownsKeys(e.target as Element | null) && e.key !== 'F5') return;
      if (!on && useExplorer.getState().helpOpen) return;
      const cmd = presentCommand(e, on);
      if (!cmd) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      runPresentCommand(cmd);
    };
    // Capture phase on window: runs before the desk's shortcut handler, which would read → as one event.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  useEffect(() => {
    const onChange = () => {
      const full = document.fullscreenElement !== null;
      const p = usePresent.getState();
      // Escape in full screen is the browser's: it leaves full screen without a keydown; leave with it.
      if (!full && p.fullscreen && p.presenting) p.exit();
      p.setFullscreen(full);
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
}
