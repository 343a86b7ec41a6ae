// The "ask why" panel's computations: the holders table (with leaks attributed to whoever should have
// released them) and the refcount-over-the-run chart (scale choice, paths, ticks, the current-step cursor).

import { scaleLinear, scaleSymlog, type ScaleLinear, type ScaleSymLog } from 'd3-scale';
import { area, curveStepAfter, line } from 'd3-shape';
import { describeHolder, leakOwner, type FolioView, type HolderView } from '../../core';

// ---- holders --------------------------------------------------------------------------------------------

/** A holder as the snapshot lists it, plus, for a leak, who should have released the references. */
export interface HolderRow extends HolderView {
  owner?: string;
}

export interface HolderTable {
  rows: HolderRow[];
  /** Sum of the rows' references: equals the refcount unless an invariant is broken. */
  refs: number;
  pins: number;
  /** refcount - refs in the kernel's 32-bit arithmetic: references no holder accounts for (0 normally). */
  unaccounted: number;
  /** The sum equals the refcount only modulo 2^32: the 32-bit counter wrapped. */
  wrapped: boolean;
}

/** The holders of a folio at a step, biggest contribution first (ties by key, so rows never shuffle). */
export function holderTable(folio: FolioView): HolderTable {
  const rows: HolderRow[] = folio.holders.map((h) => {
    const row: HolderRow = { key: h.key, kind: h.kind, label: h.label, refs: h.refs, pins: h.pins, leaked: h.leaked };
    if (h.leaked) row.owner = describeHolder(leakOwner(h.key) ?? h.key.slice(h.key.indexOf(':') + 1));
    return row;
  });
  rows.sort((a, b) => Math.abs(b.refs) - Math.abs(a.refs) || a.key.localeCompare(b.key));
  const refs = rows.reduce((s, r) => s + r.refs, 0);
  const pins = rows.reduce((s, r) => s + r.pins, 0);
  // The refcount is an atomic_t: compare in 32-bit arithmetic, so a wrapped counter still adds up.
  const unaccounted = (folio.refcount - refs) | 0;
  return { rows, refs, pins, unaccounted, wrapped: unaccounted === 0 && refs !== folio.refcount };
}

// ---- the refcount series chart -------------------------------------------------------------------------

export interface SeriesPoint {
  step: number;
  refcount: number | undefined;
}

export type YScaleKind = 'linear' | 'symlog';

/**
 * Linear while the counts stay readable on a linear axis (a few references and a few 1024-pin biases);
 * symlog once they reach the pin-overflow range (2^21 pins put the refcount at 2^31 and then negative),
 * where a linear axis would flatten every ordinary count onto the baseline.
 */
export const SYMLOG_THRESHOLD = 100_000;

export function chooseYScale(values: readonly (number | undefined)[]): YScaleKind {
  let maxAbs = 0;
  for (const v of values) if (v !== undefined && Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  return maxAbs >= SYMLOG_THRESHOLD ? 'symlog' : 'linear';
}

export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const CHART_BOX: ChartBox = { width: 300, height: 112, margin: { top: 8, right: 10, bottom: 18, left: 46 } };

export interface YTick {
  value: number;
  y: number;
  label: string;
}

export interface SeriesChart {
  kind: YScaleKind;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number> | ScaleSymLog<number, number>;
  area: string;
  line: string;
  ticks: YTick[];
  /** y of the zero line (drawn when the counts go negative). */
  zeroY: number;
  negative: boolean;
  cursor: { x: number; y: number | undefined };
}

/** Short labels for counts: 1024 → "1024", 65536 → "66k", 2^31 → "2.15G". */
export function compactCount(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return String(n);
  if (a < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (a < 1_000_000_000) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(2)}G`;
}

/** Symlog ticks in priority order: zero, the 32-bit limit, then the pin bias scale, then 1. */
const SYMLOG_TICKS: { value: number; label: string }[] = [
  { value: 0, label: '0' },
  { value: 2 ** 31 - 1, label: '2³¹' },
  { value: 2 ** 20, label: '2²⁰' },
  { value: 1024, label: '1024' },
  { value: 1, label: '1' },
];

/** Round a symlog domain end out to the next landmark (1, 1024, 2^20, the 32-bit limits). */
export function symlogNice(v: number): number {
  if (v === 0) return 0;
  const marks = [1, 1024, 2 ** 20, 2 ** 31 - 1];
  const a = Math.abs(v);
  const m = marks.find((x) => x >= a) ?? a;
  if (v > 0) return m;
  return m === 2 ** 31 - 1 ? -(2 ** 31) : -m;
}

/** Ticks in priority order (the first ones win), dropping any closer than `gap` pixels to one kept. */
export function spaceTicks(ticks: readonly YTick[], gap = 11): YTick[] {
  const kept: YTick[] = [];
  for (const t of ticks) if (kept.every((k) => Math.abs(k.y - t.y) >= gap)) kept.push(t);
  return kept.sort((a, b) => b.value - a.value);
}

export function seriesChart(series: readonly SeriesPoint[], lastStep: number, step: number, current: number | undefined, box: ChartBox = CHART_BOX): SeriesChart {
  const { width, height, margin } = box;
  const values = series.map((p) => p.refcount);
  if (current !== undefined) values.push(current);
  const kind = chooseYScale(values);
  let lo = 0;
  let hi = 1;
  for (const v of values) {
    if (v === undefined) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const x = scaleLinear()
    .domain([0, Math.max(1, lastStep)])
    .range([margin.left, width - margin.right]);
  const range: [number, number] = [height - margin.bottom, margin.top];
  let y: ScaleLinear<number, number> | ScaleSymLog<number, number>;
  let ticks: YTick[];
  if (kind === 'symlog') {
    const s = scaleSymlog().domain([symlogNice(lo), symlogNice(hi)]).range(range);
    [lo, hi] = s.domain() as [number, number];
    y = s;
    const candidates = SYMLOG_TICKS.flatMap((t) => (t.value === 0 ? [t] : [t, { value: -t.value - (t.value === 2 ** 31 - 1 ? 1 : 0), label: `−${t.label}` }]))
      .filter((t) => t.value >= lo && t.value <= hi)
      .map((t) => ({ value: t.value, y: s(t.value), label: t.label }));
    ticks = spaceTicks(candidates);
  } else {
    const s = scaleLinear().domain([lo, hi]).nice(3).range(range);
    y = s;
    ticks = s
      .ticks(3)
      .filter((v) => Number.isInteger(v))
      .map((v) => ({ value: v, y: s(v), label: compactCount(v) }));
  }
  const defined = (p: SeriesPoint) => p.refcount !== undefined;
  const zeroY = y(0);
  const areaPath =
    area<SeriesPoint>()
      .defined(defined)
      .curve(curveStepAfter)
      .x((p) => x(p.step))
      .y0(zeroY)
      .y1((p) => y(p.refcount!))(series as SeriesPoint[]) ?? '';
  const linePath =
    line<SeriesPoint>()
      .defined(defined)
      .curve(curveStepAfter)
      .x((p) => x(p.step))
      .y((p) => y(p.refcount!))(series as SeriesPoint[]) ?? '';
  return {
    kind,
    x,
    y,
    area: areaPath,
    line: linePath,
    ticks,
    zeroY,
    negative: lo < 0,
    cursor: { x: x(step), y: current === undefined ? undefined : y(current) },
  };
}

// ---- folio facts ------------------------------------------------------------------------------------------

export function folioSize(order: number): string {
  const bytes = 4096 * 2 ** order;
  if (bytes >= 1 << 20) return `${bytes / (1 << 20)} MiB`;
  return `${bytes / 1024} KiB`;
}

export function pfnHex(pfn: number): string {
  return `0x${pfn.toString(16)}`;
}
