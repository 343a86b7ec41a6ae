// The dense overview of physical memory for large runs: one canvas cell per folio (or per bucket of folios
// when there are more folios than pixels), coloured by kind, freed or not yet allocated, with the rows in view,
// the current event's folio and the selection marked. A click scrolls the block view there.

import { useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { FolioView } from '../../core';
import {
  OV_ANON,
  OV_EMPTY,
  OV_FILE,
  OV_FREED,
  OV_HUGEZERO,
  OV_ZERO,
  catalogIndex,
  overviewCell,
  overviewGrid,
  overviewHit,
  overviewStates,
  type FrameLayout,
  type FrameModel,
} from './layout';

export interface FrameMapProps {
  model: FrameModel;
  layout: FrameLayout;
  folios: readonly FolioView[];
  step: number;
  width: number;
  height: number;
  /** Rows of the block view in view: [first, end). */
  viewRows: readonly [number, number];
  eventFolio?: number | undefined;
  selected: number | null;
  /** Scroll the block view to a pfn-order position. */
  onPick(position: number): void;
}

const FALLBACK: Record<number, string> = {
  [OV_EMPTY]: '#f1f2f4',
  [OV_FREED]: '#c5c8cf',
  [OV_FILE]: '#2e9d63',
  [OV_ANON]: '#3b7dd8',
  [OV_HUGEZERO]: '#d2691e',
  [OV_ZERO]: '#e8a317',
};

const VARS: Record<number, string> = {
  [OV_FILE]: '--kind-file',
  [OV_ANON]: '--kind-anon',
  [OV_HUGEZERO]: '--kind-hugezero',
  [OV_ZERO]: '--kind-zero',
};

function rgb(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return [128, 128, 128];
  const n = Number.parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function FrameMap(props: FrameMapProps) {
  const { model, layout, folios, step, width, height, viewRows, eventFolio, selected, onPick } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const n = layout.count;
  const grid = useMemo(() => overviewGrid(n, width, height), [n, width, height]);
  const states = useMemo(() => overviewStates(model, grid, folios, step), [model, grid, folios, step]);
  const cw = grid.cols * grid.cell;
  const ch = grid.rows * grid.cell;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || cw === 0 || ch === 0) return;
    const style = getComputedStyle(canvas);
    const palette = new Map<number, [number, number, number]>();
    for (const s of [OV_EMPTY, OV_FREED, OV_FILE, OV_ANON, OV_HUGEZERO, OV_ZERO]) {
      const v = VARS[s] ? style.getPropertyValue(VARS[s]).trim() : '';
      palette.set(s, rgb(v || FALLBACK[s]!));
    }
    const image = ctx.createImageData(cw, ch);
    const data = image.data;
    const cell = grid.cell;
    for (let i = 0; i < states.length; i++) {
      const [r, g, b] = palette.get(states[i]!)!;
      const x0 = (i % grid.cols) * cell;
      const y0 = Math.floor(i / grid.cols) * cell;
      // Leave a one-pixel gutter between cells when they are big enough to afford it.
      const inner = cell >= 4 ? cell - 1 : cell;
      for (let y = y0; y < y0 + inner; y++) {
        let o = (y * cw + x0) * 4;
        for (let x = 0; x < inner; x++) {
          data[o] = r;
          data[o + 1] = g;
          data[o + 2] = b;
          data[o + 3] = 255;
          o += 4;
        }
      }
    }
    ctx.putImageData(image, 0, 0);
    // The rows in view: a translucent band over their cells.
    const [r0, r1] = viewRows;
    const from = layout.rowStart[Math.min(r0, layout.rows)] ?? 0;
    const to = (layout.rowStart[Math.min(r1, layout.rows)] ?? n) - 1;
    if (to >= from) {
      const accent = style.getPropertyValue('--accent').trim() || '#2458d6';
      const a = overviewCell(grid, from);
      const b = overviewCell(grid, to);
      ctx.fillStyle = 'rgba(36, 88, 214, 0.35)';
      for (let row = a.y; row <= b.y; row += cell) {
        const x0 = row === a.y ? a.x : 0;
        const x1 = row === b.y ? b.x + cell : cw;
        ctx.fillRect(x0, row, Math.max(1, x1 - x0), cell);
      }
      // A frame around the rows in view, big enough to find at a glance.
      const top = Math.max(0, a.y - 2);
      const bottom = Math.min(ch, b.y + cell + 2);
      const left = a.y === b.y ? Math.max(0, a.x - 2) : 0;
      const right = a.y === b.y ? Math.min(cw, b.x + cell + 2) : cw;
      ctx.strokeStyle = accent;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(left + 0.75, top + 0.75, Math.max(3, right - left - 1.5), Math.max(3, bottom - top - 1.5));
    }
    const mark = (id: number | null | undefined, color: string) => {
      if (id == null) return;
      const ci = catalogIndex(model.folios, id);
      if (ci < 0) return;
      const c = overviewCell(grid, model.positionOf[ci]!);
      const r = Math.max(3, cell);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.strokeRect(c.x + cell / 2 - r - 1, c.y + cell / 2 - r - 1, 2 * r + 2, 2 * r + 2);
    };
    mark(selected, '#1d1f23');
    mark(eventFolio, style.getPropertyValue('--accent').trim() || '#2458d6');
  }, [states, grid, cw, ch, viewRows, eventFolio, selected, layout, model, n]);

  const pick = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const sx = rect.width > 0 ? cw / rect.width : 1;
    const p = overviewHit(grid, n, (e.clientX - rect.left) * sx, (e.clientY - rect.top) * sx);
    if (p >= 0) onPick(p);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    const target = selected ?? eventFolio;
    if (target == null) return;
    const ci = catalogIndex(model.folios, target);
    if (ci >= 0) onPick(model.positionOf[ci]!);
  };
  const per = grid.perCell > 1 ? `, ${grid.perCell} folios per cell` : ', one cell per folio';
  return (
    <div className="frame-map" title={`All ${n.toLocaleString('en-US')} folios in pfn order${per}: click to scroll there`}>
      <canvas
        ref={canvasRef}
        width={cw}
        height={ch}
        style={{ width: cw, height: ch }}
        role="button"
        tabIndex={0}
        aria-label={`Overview of all ${n.toLocaleString('en-US')} folios in pfn order${per}. Click to scroll there; Enter scrolls to the selected folio.`}
        onClick={pick}
        onKeyDown={onKey}
      />
    </div>
  );
}
