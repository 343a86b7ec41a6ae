// The explorer's state: a thin shell over the simulator. It holds the scenario text, the last good run, the
// current step and its snapshot, and what the user selected. Views read it through the named selectors below.
// It is made by a factory: the explorer is one instance, and compare mode's second kernel another, whose step
// follows the first one's (the main store mirrors what the compare instance shows, for its older readers).

import { create } from 'zustand';
import { formatError, type ScenarioError } from '../scenario';
import type { SimEvent, Snapshot } from '../core';
import { viewOfRun, type RunView } from './runView';
import { alignStep, clampStep, moveStep, type Alignment, type StepUnit } from './navigation';
import { DEFAULT_SCENARIO } from './scenarios';
import type { RunResult } from './runSource';
import { cancelRuns, requestRun, type RunChannel } from './simRuns';

export type { RunView } from './runView';

export interface ExplorerState {
  source: string;
  /** The built-in scenario the text came from (null once edited or loaded from elsewhere). */
  scenarioId: string | null;
  /** Kernel override from the selector (`v6.5 zero-pin=skip`); null means the scenario's own `kernel` line. */
  kernelSpec: string | null;
  /** The last run that parsed and ran (its immutable view); it stays on screen while the text has errors. */
  run: RunView | null;
  snapshot: Snapshot | null;
  step: number;
  /** Errors in the current text (parse or run), each with line and column. */
  errors: ScenarioError[];
  /** A message to show over the picture (a damaged link, say). Plain text. */
  notice: string | null;
  selectedFolio: number | null;
  playing: boolean;
  /** Playback speed in events per second. */
  speed: number;
  /** Playback pauses when it reaches the start of a chapter. */
  pauseAtChapters: boolean;
  helpOpen: boolean;
  /** Bumped on every run so views can reset caches keyed by run. */
  runId: number;
  /** Compare mode: a second kernel setting (`v6.5`, `v6.1 zero-pin=skip`), its run, and its aligned snapshot. */
  compareSpec: string | null;
  compareRun: RunView | null;
  compareSnapshot: Snapshot | null;
  /** The compare run's step aligned with `step` (the same event of the same statement, or its end). */
  compareStep: number;
  /** How `compareStep` was aligned (for the compare caption). */
  compareAlignment: Alignment | null;
  compareError: string | null;
}

export interface ExplorerActions {
  /** Run `source` and show it. The run may go to a worker: `runsSettled()` (src/store/simRuns.ts) waits for it. */
  load(source: string, options?: { kernel?: string | null; step?: number; scenarioId?: string | null; notice?: string | null }): void;
  setSource(source: string): void;
  setKernel(spec: string | null): void;
  seek(step: number): void;
  move(unit: StepUnit, dir: 1 | -1): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(eventsPerSecond: number): void;
  setPauseAtChapters(on: boolean): void;
  selectFolio(id: number | null): void;
  jumpToLastChange(folio: number): void;
  setHelpOpen(open: boolean): void;
  setNotice(notice: string | null): void;
  /** Turn compare mode on with a second kernel setting, or off with null. */
  setCompare(spec: string | null): void;
  /** Forget the run and the text (the compare instance, when compare mode ends). */
  clear(): void;
}

export type ExplorerStore = ExplorerState & ExplorerActions;

/** What an opened scenario that does nothing (empty, only comments, only a title) shows over its empty picture. */
export const EMPTY_NOTICE =
  'This scenario is empty: it has no statements yet (only comments, or nothing at all), so there is nothing to step through. ' +
  'Write one in the editor, e.g. "mmap buf 16K" then "read buf", or pick a scenario from the list.';

/**
 * The step a freshly opened scenario starts at: the first step, from its first chapter on, where kernel code
 * runs (an event with a call chain), so the picture opens on something happening; else the first chapter.
 */
export function openingStep(run: Pick<RunView, 'chapters' | 'events' | 'lastStep'>): number {
  const from = run.chapters[0]?.step ?? 0;
  for (let s = Math.max(1, from); s <= run.lastStep; s++) {
    if (run.events[s - 1]!.chain.length > 0) return s;
  }
  return from;
}

/** Where playback from `from` should stop: the next chapter start, when pausing at chapters. */
export function playbackStop(run: Pick<RunView, 'chapters' | 'lastStep'>, from: number, pauseAtChapters: boolean): number {
  if (!pauseAtChapters) return run.lastStep;
  return run.chapters.find((c) => c.step > from)?.step ?? run.lastStep;
}

/** What the notice says when the user cancelled a run. */
export const CANCELLED_NOTICE = 'The run was cancelled: the scenario was still being simulated. The picture is the previous run\'s; edit the scenario (a smaller repeat, say) to run it again.';

export interface ExplorerOptions {
  /** The simulation channel the instance's runs go to (a newer run of a channel supersedes the older). */
  channel: RunChannel;
  /** When a text cannot be run and nothing is shown yet, show the default scenario instead (the explorer). */
  fallBack: boolean;
}

/** An explorer store: text, run, step and snapshot, selection and playback, for one channel. */
export function createExplorerStore({ channel, fallBack }: ExplorerOptions) {
  return create<ExplorerStore>()((set, get) => {
    const cancelledNotice = (reason: 'cancelled' | 'superseded') => {
      if (reason === 'cancelled') set({ notice: CANCELLED_NOTICE });
    };
    const applyRun = (result: RunResult, step: number | undefined, extra: Partial<ExplorerState>) => {
      if (!result.run) {
        set({ errors: result.errors, playing: false, ...extra });
        return;
      }
      const run = viewOfRun(result.run);
      const target = clampStep(run, step ?? openingStep(run));
      set((s) => ({
        run,
        errors: [],
        step: target,
        snapshot: run.snapshotAt(target),
        runId: s.runId + 1,
        selectedFolio: s.selectedFolio !== null && run.catalog.folios.some((f) => f.id === s.selectedFolio) ? s.selectedFolio : null,
        ...extra,
      }));
    };
    return {
      source: '',
      scenarioId: null,
      kernelSpec: null,
      run: null,
      snapshot: null,
      step: 0,
      errors: [],
      notice: null,
      selectedFolio: null,
      playing: false,
      speed: 8,
      pauseAtChapters: true,
      helpOpen: false,
      runId: 0,
      compareSpec: null,
      compareRun: null,
      compareSnapshot: null,
      compareStep: 0,
      compareAlignment: null,
      compareError: null,

      load(source, options = {}) {
        const kernel = options.kernel === undefined ? null : options.kernel;
        requestRun(channel, source, kernel, {
          dropped: cancelledNotice,
          done: (result) => {
            const empty = result.run !== undefined && result.run.lastStep === 0;
            applyRun(result, options.step, { source, kernelSpec: kernel, scenarioId: options.scenarioId ?? null, notice: options.notice ?? (empty ? EMPTY_NOTICE : null), playing: false });
            if (result.run || get().run || !fallBack) return;
            // Nothing good to show: fall back to the default scenario, and say why.
            requestRun(channel, DEFAULT_SCENARIO.text, null, {
              dropped: cancelledNotice,
              done: (fallback) => {
                applyRun(fallback, undefined, {
                  notice: options.notice ?? `This scenario could not be run: ${result.errors.map(formatError).join('; ')}`,
                });
                set({ source, errors: result.errors });
              },
            });
          },
        });
      },
      setSource(source) {
        if (source === get().source) return;
        // The text is the user's: it is kept at once, and the run follows when it is done.
        set({ source, scenarioId: null });
        requestRun(channel, source, get().kernelSpec, {
          dropped: cancelledNotice,
          done: (result) => applyRun(result, get().step, {}),
        });
      },
      setKernel(spec) {
        // Kept at once, like the text, so that an edit made while the run goes uses it.
        set({ kernelSpec: spec });
        requestRun(channel, get().source, spec, {
          dropped: cancelledNotice,
          done: (result) => applyRun(result, get().step, {}),
        });
      },
      seek(step) {
        const run = get().run;
        if (!run) return;
        const target = clampStep(run, step);
        if (target === get().step && get().snapshot?.step === target) return;
        set({ step: target, snapshot: run.snapshotAt(target) });
      },
      move(unit, dir) {
        const run = get().run;
        if (!run) return;
        get().seek(moveStep(run, get().step, unit, dir));
      },
      play() {
        const run = get().run;
        if (!run) return;
        if (get().step >= run.lastStep) get().seek(0);
        set({ playing: true });
      },
      pause() {
        set({ playing: false });
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      setSpeed(eventsPerSecond) {
        set({ speed: Math.max(0.5, Math.min(240, eventsPerSecond)) });
      },
      setPauseAtChapters(on) {
        set({ pauseAtChapters: on });
      },
      selectFolio(id) {
        set({ selectedFolio: id });
      },
      jumpToLastChange(folio) {
        const run = get().run;
        if (!run) return;
        const step = run.lastChangeStep(folio, get().step);
        get().seek(step);
      },
      setHelpOpen(open) {
        set({ helpOpen: open });
      },
      setNotice(notice) {
        set({ notice });
      },
      setCompare(spec) {
        set({ compareSpec: spec });
        refreshCompare();
      },
      clear() {
        cancelRuns(channel);
        set({ source: '', kernelSpec: null, scenarioId: null, run: null, snapshot: null, step: 0, errors: [], notice: null, playing: false });
      },
    };
  });
}

export const useExplorer = createExplorerStore({ channel: 'main', fallBack: true });
/** Compare mode's second run: the same store, driven by the first one's text, compare kernel and step. */
export const useCompareExplorer = createExplorerStore({ channel: 'compare', fallBack: false });

// ---- compare mode ----------------------------------------------------------------------------------------

/** Run the current text under the compare kernel in the compare instance (after any change of text or kernel). */
function refreshCompare(): void {
  const { compareSpec, source, run } = useExplorer.getState();
  if (!compareSpec || !run) {
    useCompareExplorer.getState().clear();
    useExplorer.setState({ compareRun: null, compareSnapshot: null, compareStep: 0, compareAlignment: null, compareError: null });
    return;
  }
  useCompareExplorer.getState().load(source, { kernel: compareSpec, step: 0 });
}

/** Keep the compare run on the same event of the statement the main run is in (its end at the end). */
function alignCompare(): void {
  const { run, step } = useExplorer.getState();
  const compare = useCompareExplorer.getState();
  if (!run || !compare.run || compare.errors.length > 0) return;
  const alignment = alignStep(run, step, compare.run);
  compare.seek(alignment.step);
  useExplorer.setState({ compareAlignment: alignment });
}

useExplorer.subscribe((s, prev) => {
  if (!s.compareSpec) return;
  if (s.run !== prev.run) refreshCompare();
  else if (s.step !== prev.step) alignCompare();
});

// What the compare instance shows, mirrored into the main store (the top bar, links and the test API read it).
useCompareExplorer.subscribe((c, prev) => {
  const { compareSpec } = useExplorer.getState();
  // A run of an older compare kernel, or of nothing (compare mode is off), is not shown.
  if (!compareSpec || c.kernelSpec !== compareSpec) return;
  if (c.run !== prev.run || c.errors !== prev.errors || c.kernelSpec !== prev.kernelSpec) {
    if (c.errors.length > 0) {
      useExplorer.setState({ compareRun: null, compareSnapshot: null, compareError: c.errors.map(formatError).join('; ') });
      return;
    }
    useExplorer.setState({ compareRun: c.run, compareError: null });
    alignCompare();
  }
  // Read afresh: aligning above may have moved the instance (and notified this listener inside it).
  const now = useCompareExplorer.getState();
  if (now.run && now.errors.length === 0 && now.snapshot !== useExplorer.getState().compareSnapshot) useExplorer.setState({ compareSnapshot: now.snapshot, compareStep: now.step });
});

// ---- named selectors -------------------------------------------------------------------------------------

export const selectRun = (s: ExplorerStore): RunView | null => s.run;
export const selectSnapshot = (s: ExplorerStore): Snapshot | null => s.snapshot;
export const selectStep = (s: ExplorerStore): number => s.step;
export const selectEvent = (s: ExplorerStore): SimEvent | undefined => s.snapshot?.event;
export const selectErrors = (s: ExplorerStore): ScenarioError[] => s.errors;
export const selectSelectedFolio = (s: ExplorerStore): number | null => s.selectedFolio;
export const selectKernelLabel = (s: ExplorerStore): string => s.run?.kernel.label ?? '';
export const selectElixirVersion = (s: ExplorerStore): string => s.run?.kernel.preset.elixir ?? 'latest';
export const selectPlaying = (s: ExplorerStore): boolean => s.playing;
/** The source line of the current event (for the editor's highlight). */
export const selectCurrentLine = (s: ExplorerStore): number | undefined => s.snapshot?.event?.line;
export const selectCompareRun = (s: ExplorerStore): RunView | null => s.compareRun;
export const selectCompareSnapshot = (s: ExplorerStore): Snapshot | null => s.compareSnapshot;
export const selectCompareAlignment = (s: ExplorerStore): Alignment | null => s.compareAlignment;
