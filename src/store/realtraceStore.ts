// The imported real trace: which one, and the kernel it chose. The alignment itself is derived from the trace
// and the explorer's current run (alignTrace), so it follows a change of kernel; it is dropped when the
// scenario text no longer is the trace's.

import { create } from 'zustand';
import { useExplorer } from './explorer';
import { runsSettled } from './simRuns';
import { pickKernel, readTrace, type Alignment, type KernelPick, type RealTrace, alignTrace } from './realtrace';
import type { RunView } from './runView';

interface RealTraceState {
  trace: RealTrace | null;
  /** The trace file's text, as imported (a link carries it). */
  text: string;
  /** Where it came from ("the file x.trace.json", "pasted text"). */
  from: string;
  pick: KernelPick | null;
  clear(): void;
}

export const useRealTrace = create<RealTraceState>()((set) => ({
  trace: null,
  text: '',
  from: '',
  pick: null,
  clear: () => set({ trace: null, text: '', pick: null, from: '' }),
}));

/** Open a trace: run its scenario under the preset closest to its kernel. Resolves to why it was refused, or null. */
export async function importTrace(text: string, from: string): Promise<string | null> {
  const read = readTrace(text);
  if (!read.ok) return `${from} is not a pinscope trace: ${read.reason}`;
  const trace = read.trace;
  const pick = pickKernel(trace.kernel.release, trace.kernel.version);
  useRealTrace.setState({ trace, text, pick, from });
  useExplorer.getState().load(trace.scenario.text, { kernel: pick.spec });
  await runsSettled('main');
  if (!useExplorer.getState().run || useExplorer.getState().source !== trace.scenario.text) {
    useRealTrace.getState().clear();
    return `the scenario in ${from} could not be run`;
  }
  return null;
}

let cache: { trace: RealTrace; run: RunView; a: Alignment } | null = null;

/** The imported trace's text while it applies to the scenario on screen (for a link), else undefined. */
export function currentTraceText(source: string): string | undefined {
  const { trace, text } = useRealTrace.getState();
  return trace && trace.scenario.text === source && text ? text : undefined;
}

/** The alignment of the imported trace with a run, or null when no trace applies to it. */
export function alignmentFor(trace: RealTrace | null, run: RunView | null, source: string): Alignment | null {
  if (!trace || !run || source !== trace.scenario.text) return null;
  if (cache && cache.trace === trace && cache.run === run) return cache.a;
  const a = alignTrace(trace, run);
  cache = { trace, run, a };
  return a;
}

/** The current alignment (React hook). */
export function useAlignment(): Alignment | null {
  const trace = useRealTrace((s) => s.trace);
  const run = useExplorer((s) => s.run);
  const source = useExplorer((s) => s.source);
  return alignmentFor(trace, run, source);
}
