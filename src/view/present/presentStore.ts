// Presentation mode's own state: whether the audience layout is on, whether the screen is blanked, and
// whether we asked for (and got) full screen. Kept apart from the explorer store so the desk is unchanged.

import { create } from 'zustand';

export interface PresentState {
  presenting: boolean;
  blanked: boolean;
  /** Full screen was granted (the Fullscreen API needs a user gesture; on load or headless it is refused). */
  fullscreen: boolean;
  enter(): void;
  exit(): void;
  toggle(): void;
  toggleBlank(): void;
  setFullscreen(on: boolean): void;
}

export const usePresent = create<PresentState>()((set, get) => ({
  presenting: false,
  blanked: false,
  fullscreen: false,
  enter() {
    if (get().presenting) return;
    set({ presenting: true, blanked: false });
    requestFullscreen();
  },
  exit() {
    if (!get().presenting) return;
    set({ presenting: false, blanked: false });
    leaveFullscreen();
  },
  toggle() {
    if (get().presenting) get().exit();
    else get().enter();
  },
  toggleBlank() {
    if (!get().presenting) return;
    set({ blanked: !get().blanked });
  },
  setFullscreen(on) {
    set({ fullscreen: on });
  },
}));

/** Ask for full screen; refused without a user gesture (a `mode=present` link on load), which is fine. */
export function requestFullscreen(): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (document.fullscreenElement || typeof root.requestFullscreen !== 'function') return;
  root.requestFullscreen().then(
    () => usePresent.getState().setFullscreen(true),
    () => usePresent.getState().setFullscreen(false),
  );
}

function leaveFullscreen(): void {
  if (typeof document === 'undefined' || !document.fullscreenElement) return;
  void document.exitFullscreen().catch(() => undefined);
}
