// The audience window's side of the speaker view: opening it (from a button, so the popup is allowed), telling
// it the scenario and every step change, and running the clicker commands it sends. The audience window stays
// the source of truth: the speaker view only ever shows the step it was told.

import { create } from 'zustand';
import { useExplorer } from '../../store/explorer';
import { openSpeakerLink, type SpeakerLink } from './speakerLink';
import { newId, speakerUrl, type SpeakerCommand, type SpeakerMessage } from './speakerProtocol';
import { usePresent } from './presentStore';

export interface SpeakerHostState {
  /** A speaker window was opened and has not been closed. */
  open: boolean;
  /** It said hello (and has not said goodbye). */
  connected: boolean;
  /** The browser refused to open the window. */
  blocked: boolean;
}

export const useSpeakerHost = create<SpeakerHostState>()(() => ({ open: false, connected: false, blocked: false }));

let runCommand: (cmd: SpeakerCommand) => void = () => undefined;

/** How the audience window runs a command from the speaker view (presentation mode's own command runner). */
export function setSpeakerCommandRunner(run: (cmd: SpeakerCommand) => void): void {
  runCommand = run;
}

class Host {
  readonly session = newId();
  /** The speaker window opened, for the postMessage path. */
  child: Window | null = null;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Bumped whenever the text, the kernel or the run changes: the speaker view loads the scenario again. */
  private rev = 1;
  readonly link: SpeakerLink;
  private readonly off: (() => void)[] = [];

  constructor() {
    this.link = openSpeakerLink(this.session, () => this.child, (msg) => this.onMessage(msg));
    this.off.push(
      useExplorer.subscribe((s, prev) => {
        if (s.run !== prev.run || s.source !== prev.source || s.kernelSpec !== prev.kernelSpec) {
          this.rev++;
          this.sendScenario();
          this.sendStep();
        } else if (s.step !== prev.step) this.sendStep();
      }),
      usePresent.subscribe((p, prev) => {
        if (p.presenting !== prev.presenting || p.blanked !== prev.blanked) this.sendStep();
      }),
    );
    const bye = () => this.link.send({ type: 'audience-bye' });
    window.addEventListener('pagehide', bye);
    this.off.push(() => window.removeEventListener('pagehide', bye));
  }

  private sendScenario(): void {
    const s = useExplorer.getState();
    if (!s.run) return;
    this.link.send({ type: 'audience-scenario', rev: this.rev, source: s.source, kernel: s.kernelSpec, title: s.run.title });
  }

  private sendStep(): void {
    const s = useExplorer.getState();
    const p = usePresent.getState();
    this.link.send({ type: 'audience-step', rev: this.rev, step: s.step, presenting: p.presenting, blanked: p.blanked });
  }

  private onMessage(msg: SpeakerMessage): void {
    if (msg.type === 'speaker-hello') {
      useSpeakerHost.setState({ connected: true, open: true });
      this.sendScenario();
      this.sendStep();
    } else if (msg.type === 'speaker-command') {
      runCommand(msg.command);
    } else if (msg.type === 'speaker-bye') {
      useSpeakerHost.setState({ connected: false });
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const off of this.off) off();
    this.link.close();
  }
}

let host: Host | null = null;

/** Open the speaker view (or bring it to the front). Call it from a click or a key press. */
export function openSpeakerView(): void {
  if (typeof window === 'undefined') return;
  host ??= new Host();
  const h = host;
  if (h.child && !h.child.closed) {
    h.child.focus();
    return;
  }
  const session = h.session;
  const child = window.open(speakerUrl(window.location, session), `pinscope-speaker-${session}`, 'popup,width=1280,height=760');
  h.child = child;
  useSpeakerHost.setState({ open: child !== null, connected: false, blocked: child === null });
  clearInterval(h.timer);
  if (!child) return;
  // A closed window says goodbye when it can; a crashed or killed one is noticed here.
  h.timer = setInterval(() => {
    if (h.child && !h.child.closed) return;
    clearInterval(h.timer);
    h.child = null;
    useSpeakerHost.setState({ open: false, connected: false });
  }, 500);
}

/** Tests: forget the host (links closed, subscriptions dropped). */
export function resetSpeakerHost(): void {
  host?.close();
  host = null;
  useSpeakerHost.setState({ open: false, connected: false, blocked: false });
}
