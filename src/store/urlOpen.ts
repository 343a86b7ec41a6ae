// Opening a decoded link (or a pasted mail text) in the explorer: the text and kernel, then the moment it names
// resolved against the run (by statement, then chapter, then global step), the compare kernel, the selected
// folio, and a plain notice when the link was made under another model and the counts on screen differ.

import { MODEL_VERSION } from '../core';
import { useExplorer } from './explorer';
import { findBuiltin, findLibrary } from './scenarios';
import { runsSettled } from './simRuns';
import { currentTraceText, importTrace } from './realtraceStore';
import type { LinkState } from './url';
import { driftNotice, fingerprintOf, positionOf, resolvePosition, type Fingerprint, type MomentPosition } from './urlMoment';

/** Open a link; resolves once its run is shown (the run may come from the worker) and the moment is set. */
export async function openLinkState(link: LinkState): Promise<void> {
  const store = useExplorer.getState();
  // The scenario keeps its identity (title, description) when the text is still the built-in one's.
  const known = link.scenarioId ? (findBuiltin(link.scenarioId) ?? findLibrary(link.scenarioId)) : undefined;
  const scenarioId = known && known.text === link.text ? known.id : null;
  // A link with a real trace opens it as a dropped trace file would (its scenario under the closest preset).
  const refused = link.realTrace !== undefined ? await importTrace(link.realTrace, 'the real trace in the link') : undefined;
  if (refused === null) {
    if (link.step !== undefined) useExplorer.getState().seek(link.step);
  } else {
    store.load(link.text, { kernel: link.kernel ?? null, scenarioId, ...(link.step !== undefined ? { step: link.step } : {}), ...(refused ? { notice: `The link's real trace was left out: ${refused}.` } : {}) });
    await runsSettled('main');
  }
  const after = useExplorer.getState();
  // Only a link whose own text ran names a moment of this run (not the default scenario shown instead).
  const ran = after.run !== null && after.errors.length === 0 && after.source === link.text;
  if (ran && (link.at || link.chapter)) {
    const step = resolvePosition(after.run!, { step: link.step ?? after.step, ...(link.at ? { at: link.at } : {}), ...(link.chapter ? { chapter: link.chapter } : {}) });
    after.seek(step);
  }
  if (link.compare) {
    store.setCompare(link.compare);
    await runsSettled('compare');
  }
  if (link.folio !== undefined && useExplorer.getState().run?.catalog.folios.some((f) => f.id === link.folio)) store.selectFolio(link.folio);
  const snapshot = useExplorer.getState().snapshot;
  if (ran && snapshot) {
    const drift = driftNotice(link, snapshot, MODEL_VERSION);
    if (drift) useExplorer.getState().setNotice(drift);
  }
}

/** What a link written now records about the moment on screen: position, model version and fingerprint. */
export function currentMoment(): (Omit<MomentPosition, 'step'> & { step: number; model: number; fingerprint?: Fingerprint }) | null {
  const { run, step, snapshot } = useExplorer.getState();
  if (!run) return null;
  return { ...positionOf(run, step), model: MODEL_VERSION, ...(snapshot ? { fingerprint: fingerprintOf(snapshot) } : {}) };
}

/** The explorer's state as a link (text, kernels, moment, scenario, folio); the caller adds view fields. */
export function currentLinkState(): LinkState {
  const { source, kernelSpec, step, compareSpec, scenarioId, selectedFolio } = useExplorer.getState();
  const moment = currentMoment();
  return {
    text: source,
    ...(kernelSpec ? { kernel: kernelSpec } : {}),
    ...(compareSpec ? { compare: compareSpec } : {}),
    step,
    ...(moment ? { model: moment.model, ...(moment.at ? { at: moment.at } : {}), ...(moment.chapter ? { chapter: moment.chapter } : {}), ...(moment.fingerprint ? { fingerprint: moment.fingerprint } : {}) } : {}),
    ...(scenarioId ? { scenarioId } : {}),
    ...(selectedFolio !== null ? { folio: selectedFolio } : {}),
    ...(currentTraceText(source) ? { realTrace: currentTraceText(source)! } : {}),
  };
}
