// The block I/O view as a pure component: each dio (engine, direction, sync/async, state, its page queue and
// current page) and each bio as a bar whose bvecs are segments sized by bytes and coloured by the kind of
// folio they point to. Bars sit in a lane by state: building → in flight → completion.

import { createContext, useContext, useMemo, useState, type KeyboardEvent } from 'react';
import type { Catalog, FolioKind, Snapshot } from '../../core';
import { KIND_COLOR, KIND_LABEL, folioLabel } from '../common/palette';
import {
  BAR_H,
  BIO_HEAD_H,
  CHIP,
  DIO_H,
  DIO_LINE_H,
  dioHeadParts,
  dioStateLine,
  dioStateText,
  HOLD_H,
  LANE_LABEL,
  LANE_SHORT,
  CHAR_W,
  fitParts,
  type TextPart,
  chipX,
  formatBytes,
  layoutBlockIo,
  fitText,
  legendOffsets,
  legendRows,
  shortFolio,
  stateText,
  type BioLayout,
  type BlockIoLayout,
  type DioLayout,
  type SegmentLayout,
} from './layout';
import { EARLIER_STEP, blockIoWindow, windowSummary } from './window';

export interface BlockIoViewProps {
  snapshot: Snapshot;
  catalog: Catalog;
  selectedFolio: number | null;
  /** Drawing width in px (the panel measures it; tests use the default). */
  width?: number;
  onSelectFolio?: (id: number) => void;
  /** How much wider the type is than the desk's (projector type: > 1); text is fitted by it, never cut. */
  textScale?: number;
}

/** The type's width relative to the desk's (1 at the desk); labels are cut to fit only at the desk. */
const TextScale = createContext(1);

const LEGEND_H = 18;
const KINDS: FolioKind[] = ['zero', 'hugezero', 'anon', 'file'];
const SEG_OPACITY = { held: 1, noref: 0.5, released: 0.16 } as const;

function activate(handler: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      handler();
    }
  };
}

export function BlockIoView({ textScale = 1, ...props }: BlockIoViewProps) {
  return (
    <TextScale.Provider value={textScale}>
      <BlockIoPicture {...props} />
    </TextScale.Provider>
  );
}

function BlockIoPicture({ snapshot, catalog, selectedFolio, width = 640, onSelectFolio }: Omit<BlockIoViewProps, 'textScale'>) {
  const textScale = useContext(TextScale);
  // "Show earlier" widens the window of a big run; a new run starts from the window alone.
  const [earlier, setEarlier] = useState<{ catalog: Catalog; count: number }>({ catalog, count: 0 });
  const earlierShown = earlier.catalog === catalog ? earlier.count : 0;
  const win = useMemo(() => blockIoWindow(snapshot, catalog, selectedFolio, earlierShown), [snapshot, catalog, selectedFolio, earlierShown]);
  const drawn = useMemo(() => (win.all ? catalog : { folios: catalog.folios, bios: win.bios, dios: win.dios }), [win, catalog]);
  const layout = useMemo(() => layoutBlockIo(snapshot, drawn, width, textScale), [snapshot, drawn, width, textScale]);
  const kindOf = (id: number): FolioKind | undefined => snapshot.folios.find((f) => f.id === id)?.kind ?? catalog.folios.find((f) => f.id === id)?.kind;
  if (layout.dios.length === 0 && layout.bios.length === 0) {
    return <p className="bio-empty hint">No direct I/O in this run. A dio and its bios appear here when the scenario runs a dio statement.</p>;
  }
  const legend = legendFor(width, textScale);
  const height = layout.height + LEGEND_H * legend.rows.rows;
  const summary = windowSummary(win);
  return (
    <>
      {summary && (
        <p className="bio-window" data-bios-drawn={win.bios.length} data-bios-earlier={win.earlier}>
          <span>{summary}</span>
          {win.earlier > 0 && (
            <button type="button" className="bio-window-more" onClick={() => setEarlier({ catalog, count: earlierShown + EARLIER_STEP })}>
              {`show ${Math.min(EARLIER_STEP, win.earlier)} earlier`}
            </button>
          )}
        </p>
      )}
      <svg className="bio-view" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-label="Direct I/O requests and their bios">
        {layout.dios.map((d) => (
          <Dio key={d.id} d={d} rows={layout.dioRows} width={width} kindOf={kindOf} selectedFolio={selectedFolio} {...(onSelectFolio ? { onSelectFolio } : {})} />
        ))}
        {layout.bios.length > 0 && <Lanes layout={layout} />}
        {layout.bios.map((b) => (
          <Bio key={b.id} b={b} width={width} selectedFolio={selectedFolio} {...(onSelectFolio ? { onSelectFolio } : {})} />
        ))}
        <Legend y={layout.height + 4} legend={legend} />
      </svg>
    </>
  );
}

function FolioChip({ folio, kind, x, y, label, selected, title, onSelect }: { folio: number; kind: FolioKind | undefined; x: number; y: number; label: string; selected: boolean; title: string; onSelect?: (id: number) => void }) {
  const select = () => onSelect?.(folio);
  return (
    <g
      className={`bio-chip${selected ? ' selected' : ''}${kind ? ` kind-${kind}` : ''}`}
      data-folio={folio}
      data-tw={`chip:${title}`}
      data-tw-opacity={1}
      data-tw-from-opacity={0}
      opacity={1}
      role="button"
      tabIndex={0}
      aria-label={title}
      onClick={select}
      onKeyDown={activate(select)}
    >
      <rect x={x} y={y} width={CHIP} height={CHIP} rx={3} style={kind ? { fill: KIND_COLOR[kind] } : undefined} />
      <text x={x + CHIP / 2} y={y + 11} textAnchor="middle">
        {label}
      </text>
      <title>{title}</title>
    </g>
  );
}

function Dio({ d, rows, width, kindOf, selectedFolio, onSelectFolio }: { d: DioLayout; rows: 1 | 2; width: number; kindOf: (id: number) => FolioKind | undefined; selectedFolio: number | null; onSelectFolio?: (id: number) => void }) {
  const ts = useContext(TextScale);
  const v = d.dio;
  const h = DIO_H + (rows - 1) * DIO_LINE_H;
  // The page queue's line, under the header's one or two lines.
  const body = (rows - 1) * DIO_LINE_H;
  if (!v) {
    return (
      <g className="bio-dio absent" transform={`translate(0,${d.y})`} data-dio={d.name}>
        <rect x={0} y={1} width={width} height={h - 6} rx={4} className="bio-dio-bg" />
        <text x={8} y={15}>
          <tspan className="bio-dio-name">{d.name}</tspan>
          <tspan dx={6} className="bio-muted">
            not started yet
          </tspan>
        </text>
      </g>
    );
  }
  const queueX = 50 * ts;
  const legacy = v.engine === 'legacy';
  const curText = v.cur ? `${shortFolio(kindOf(v.cur.folio), v.cur.folio)} +${v.cur.offset}, ${formatBytes(v.cur.len)}` : 'none';
  // At the desk a fixed place; with wider type, as far right as the current page's label, chip and text allow.
  const curX = ts === 1 ? Math.max(queueX + 150, width - 215) : Math.max(queueX + 60 * ts, width - (80 * ts + CHIP + 5 + curText.length * CHAR_W * ts + 6));
  const qx = chipX(v.queue.length, queueX, curX - queueX - 50);
  const stateLine = dioStateLine(v);
  // One line: the tags fill what the state leaves; two: the tags have the whole width, the state its own line.
  const line = fitParts(dioHeadParts(v), rows === 1 ? width - 20 - stateLine.length * CHAR_W * ts : width - 16, CHAR_W * ts);
  return (
    <g className={`bio-dio state-${v.state}`} transform={`translate(0,${d.y})`} data-dio={d.name}>
      <rect x={0} y={1} width={width} height={h - 6} rx={4} className="bio-dio-bg" />
      <text x={8} y={14} className="bio-dio-line">
        {runsOfClass(line).map((p, i) => (
          <tspan key={p.key} dx={i === 0 ? 0 : 5} className={PART_CLASS[p.key] ?? ''}>
            {p.text}
          </tspan>
        ))}
      </text>
      <text x={width - 8} y={14 + body} textAnchor="end" className={`bio-dio-state state-${v.state}`} data-field="dio-state">
        {dioStateText(v)} · refcount <tspan data-field="dio-refcount">{v.refcount}</tspan>
      </text>
      {legacy ? (
        <>
          <text x={8} y={29 + body} className="bio-label">
            queue
          </text>
          {v.queue.length === 0 && (
            <text x={queueX} y={29 + body} className="bio-muted">
              empty
            </text>
          )}
          {v.queue.map((q, i) => {
            const kind = kindOf(q.folio);
            return (
              <FolioChip
                key={`${i}:${q.folio}:${q.page}`}
                folio={q.folio}
                kind={kind}
                x={qx(i)}
                y={18 + body}
                label={kind === 'zero' ? '0' : String(q.folio)}
                selected={selectedFolio === q.folio}
                title={`${v.name} page queue slot ${i}: ${kind ? KIND_LABEL[kind] : 'folio'} ${kind ? folioLabel({ id: q.folio, kind }) : q.folio}${q.page ? ` page ${q.page}` : ''}`}
                {...(onSelectFolio ? { onSelect: onSelectFolio } : {})}
              />
            );
          })}
          <text x={curX} y={29 + body} className="bio-label">
            current page
          </text>
          {v.cur ? (
            <>
              <FolioChip
                folio={v.cur.folio}
                kind={kindOf(v.cur.folio)}
                x={curX + 80 * ts}
                y={18 + body}
                label={kindOf(v.cur.folio) === 'zero' ? '0' : String(v.cur.folio)}
                selected={selectedFolio === v.cur.folio}
                title={`${v.name} current page (sdio->cur_page): ${shortFolio(kindOf(v.cur.folio), v.cur.folio)}`}
                {...(onSelectFolio ? { onSelect: onSelectFolio } : {})}
              />
              <text x={curX + 80 * ts + CHIP + 5} y={29 + body} className="bio-cur-text">
                {shortFolio(kindOf(v.cur.folio), v.cur.folio)} +{v.cur.offset}, {formatBytes(v.cur.len)}
              </text>
            </>
          ) : (
            <text x={curX + 80 * ts} y={29 + body} className="bio-muted">
              none
            </text>
          )}
        </>
      ) : (
        <text x={8} y={29 + body} className="bio-muted">
          {width >= 560 ? (v.engine === 'iomap' ? 'iomap_dio_bio_iter: pages go straight into bios (bio_iov_iter_get_pages)' : '__blkdev_direct_IO: pages go straight into bios') : 'no page queue: pages go straight into bios'}
          {v.bios.length ? ` · ${v.bios.join(', ')}` : ''}
        </text>
      )}
    </g>
  );
}

function Lanes({ layout }: { layout: BlockIoLayout }) {
  const top = layout.lanesY;
  return (
    <g className="bio-lanes">
      {layout.lanes.map((l) => (
        <g key={l.lane} className={`bio-lane lane-${l.lane}`}>
          <text x={l.x + l.w / 2} y={top + 12} textAnchor="middle">
            {l.w >= 175 ? LANE_LABEL[l.lane] : LANE_SHORT[l.lane]}
          </text>
          {l.lane !== 'building' && <path d={`M${l.x - 3},${top + 4}V${layout.height - 4}`} className="bio-lane-divider" />}
          {layout.bios.map((b) => (
            <rect key={b.id} x={l.x} y={b.y + BIO_HEAD_H - 4} width={l.w} height={BAR_H + HOLD_H + 6} rx={4} />
          ))}
        </g>
      ))}
    </g>
  );
}

function Bio({ b, width, selectedFolio, onSelectFolio }: { b: BioLayout; width: number; selectedFolio: number | null; onSelectFolio?: (id: number) => void }) {
  const v = b.bio;
  const ts = useContext(TextScale);
  const barY = b.y + BIO_HEAD_H;
  if (!v) {
    return (
      <g className="bio-bio absent" data-bio={b.name}>
        <text x={6} y={b.y + 11} className="bio-head">
          <tspan className="bio-name">{b.name}</tspan>
          <tspan dx={6} className="bio-muted">
            not allocated yet
          </tspan>
        </text>
        <rect x={b.x} y={barY} width={b.w} height={BAR_H} rx={3} className="bio-bar-ghost" />
      </g>
    );
  }
  const holds = [...new Set(v.bvecs.map((x) => x.hold))];
  const zeroCount = b.segments.filter((s) => s.kind === 'zero').length;
  const state = stateText(v);
  const parts: TextPart[] = [
    { key: 'name', text: v.name, prio: 0 },
    { key: 'what', text: `${v.op} · sector ${v.sector} · ${formatBytes(v.bytes)}`, prio: 0 },
    { key: 'bvecs', text: `· ${v.bvecs.length} bvec${v.bvecs.length === 1 ? '' : 's'}`, prio: 4 },
    { key: v.pinned ? 'pinned' : 'unpinned', text: v.pinned ? 'BIO_PAGE_PINNED' : 'no BIO_PAGE_PINNED', prio: v.pinned ? 1 : 5 },
    ...(holds.length ? [{ key: 'hold', text: `hold: ${holds.join('/')}`, prio: 2 }] : []),
    ...(v.zeroing ? [{ key: 'zeroing', text: 'zeroing bio', prio: 3 }] : []),
    ...(zeroCount > 0 ? [{ key: 'zero', text: `zero page ×${zeroCount}`, prio: 1 }] : []),
  ];
  const head = fitParts(parts, width - 12 - (state.length + 2) * CHAR_W * ts, CHAR_W * ts);
  const endIoRoom = width - (b.x + b.w + 8) - 4;
  // On a projector the completion function is drawn whole or not at all (its name stays in the tooltip).
  const endIo = ts === 1 ? fitText(v.endIo, endIoRoom) : v.endIo.length * CHAR_W * ts <= endIoRoom ? v.endIo : '';
  return (
    <g className={`bio-bio state-${v.state}${v.deferred ? ' deferred' : ''}`} data-bio={v.name} data-state={v.state}>
      <text x={6} y={b.y + 11} className="bio-head">
        {head.map((p, i) => (
          <tspan key={p.key} dx={i === 0 ? 0 : 5} className={PART_CLASS[p.key] ?? ''}>
            {p.text}
          </tspan>
        ))}
      </text>
      <text x={width - 6} y={b.y + 11} textAnchor="end" className={`bio-state state-${v.state}${v.deferred ? ' deferred' : ''}`} data-field="bio-state">
        {state}
      </text>
      <g className="bio-bar" data-tw={`bar:${b.name}`} data-tw-transform={`translate(${b.x},${barY})`} transform={`translate(${b.x},${barY})`}>
        <rect className="bio-bar-frame" x={-2} y={-2} width={b.w + 4} height={BAR_H + 4} rx={4} data-tw={`frame:${b.name}`} data-tw-width={b.w + 4} />
        {b.segments.map((s) => (
          <Segment key={s.index} bio={v.name} s={s} selected={selectedFolio === s.bvec.folio} {...(onSelectFolio ? { onSelect: onSelectFolio } : {})} />
        ))}
        {v.bvecs.length === 0 && (
          <text x={4} y={BAR_H / 2 + 4} className="bio-muted">
            no bvecs yet
          </text>
        )}
        {/* The completion function, cut to the room right of the bar (its whole name on hover). */}
        <text x={b.w + 8} y={BAR_H / 2 + 4} className="bio-endio">
          {v.state === 'building' ? '' : endIo}
          {v.state !== 'building' && <title>{v.endIo}</title>}
        </text>
      </g>
    </g>
  );
}

/** Neighbouring parts drawn alike joined into one run of text (one tspan), spaced as the parts are. */
function runsOfClass(parts: readonly TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && (PART_CLASS[last.key] ?? '') === (PART_CLASS[p.key] ?? '')) out[out.length - 1] = { ...last, text: `${last.text} ${p.text}` };
    else out.push(p);
  }
  return out;
}

const PART_CLASS: Record<string, string> = {
  name: 'bio-name',
  pinned: 'bio-flag on',
  unpinned: 'bio-flag off',
  zeroing: 'bio-zeroing',
  zero: 'bio-zero-note',
  file: 'bio-muted',
  dio: 'bio-dio-name',
};

/** Width of a glyph of the segments' small monospace type at the desk. */
const SEG_CHAR_W = 6.2;
/** Width of a glyph of the hold labels (0.6 em of the small monospace type) at the desk. */
const HOLD_CHAR_W = 6;
/** Room the dirty badge takes at a segment's right end. */
const DIRTY_W = 12;

/** The folio's name for a segment `room` wide (the segment less its dirty badge), or '' when none fits. */
function segLabel(s: SegmentLayout, room: number, ts: number): string {
  const fits = (text: string) => room >= text.length * SEG_CHAR_W * ts + 2;
  if (s.kind === 'zero') return fits('zero page') ? 'zero page' : fits('zero') ? 'zero' : '';
  const name = shortFolio(s.kind, s.bvec.folio);
  return fits(name) ? name : '';
}

function holdLabel(s: SegmentLayout): string {
  if (s.status === 'released') return 'released';
  if (s.status === 'noref') return s.kind === 'zero' && s.bvec.hold === 'pin' ? 'pin: no-op' : 'no ref';
  return s.bvec.hold;
}

function Segment({ bio, s, selected, onSelect }: { bio: string; s: SegmentLayout; selected: boolean; onSelect?: (id: number) => void }) {
  const ts = useContext(TextScale);
  const select = () => onSelect?.(s.bvec.folio);
  const kind = s.kind;
  const dirtyBadge = s.dirty !== undefined && s.w >= 14;
  // The name is centred in what the dirty badge leaves, so the two never meet.
  const labelRoom = dirtyBadge ? s.w - DIRTY_W : s.w;
  const label = segLabel(s, labelRoom, ts);
  const hold = holdLabel(s);
  const title = `${bio} bvec ${s.index}: ${s.bvec.len} bytes at offset ${s.bvec.offset} of ${kind ? KIND_LABEL[kind] : 'folio'} ${kind ? folioLabel({ id: s.bvec.folio, kind }) : s.bvec.folio}${s.bvec.page ? ` (page ${s.bvec.page})` : ''}; hold: ${s.bvec.hold}; ${s.status === 'held' ? 'the bio holds it' : s.status === 'noref' ? 'no reference held' : 'released'}${s.dirty === undefined ? '' : s.dirty ? '; page dirty' : '; page clean'}`;
  return (
    <g
      className={`bio-seg status-${s.status}${kind ? ` kind-${kind}` : ''}${selected ? ' selected' : ''}`}
      data-tw={`seg:${bio}:${s.index}`}
      data-tw-transform={`translate(${s.x},0)`}
      transform={`translate(${s.x},0)`}
      data-folio={s.bvec.folio}
      data-hold={s.bvec.hold}
      data-status={s.status}
      data-len={s.bvec.len}
      role="button"
      tabIndex={0}
      aria-label={title}
      onClick={select}
      onKeyDown={activate(select)}
    >
      <rect
        className="bio-seg-fill"
        x={0}
        y={0}
        width={s.w}
        height={BAR_H}
        style={kind ? { fill: KIND_COLOR[kind] } : undefined}
        opacity={SEG_OPACITY[s.status]}
        data-tw={`segr:${bio}:${s.index}`}
        data-tw-width={s.w}
        data-tw-from-width={0}
        data-tw-opacity={SEG_OPACITY[s.status]}
      />
      <rect className="bio-seg-edge" x={0} y={0} width={s.w} height={BAR_H} data-tw={`sege:${bio}:${s.index}`} data-tw-width={s.w} data-tw-from-width={0} />
      {label && (
        <text x={labelRoom / 2} y={BAR_H / 2 + 4} textAnchor="middle" className="bio-seg-label">
          {label}
        </text>
      )}
      {dirtyBadge && (
        <g className={`bio-dirty ${s.dirty ? 'on' : 'off'}`} data-dirty={s.dirty ? 'true' : 'false'}>
          <rect x={s.w - 11} y={2} width={9} height={9} rx={2} />
          <text x={s.w - 6.5} y={9.5} textAnchor="middle">
            D
          </text>
        </g>
      )}
      {/* Under its own segment only: a wider label would run into the next segment's. */}
      {s.w + 2 >= hold.length * HOLD_CHAR_W * ts && (
        <text x={s.w / 2} y={BAR_H + 10} textAnchor="middle" className={`bio-hold hold-${s.bvec.hold} status-${s.status}`}>
          {hold}
        </text>
      )}
      <title>{title}</title>
    </g>
  );
}

const LEGEND_SHORT: Record<FolioKind, string> = { zero: 'zero page', hugezero: 'huge zero', anon: 'anon', file: 'page cache' };

/** The legend's labels (long ones when they fit on a line, else short ones) wrapped to the width. */
function legendFor(width: number, textScale = 1): { labels: string[]; rows: ReturnType<typeof legendRows> } {
  const long = [...KINDS.map((k) => KIND_LABEL[k]), 'no reference held', 'released'];
  const short = [...KINDS.map((k) => LEGEND_SHORT[k]), 'no ref', 'released'];
  const charW = 5.6 * textScale;
  const fits = (legendOffsets(long, 4, charW).at(-1) ?? 0) <= width;
  const labels = fits ? long : short;
  return { labels, rows: legendRows(labels, width, 4, charW) };
}

function Legend({ y, legend }: { y: number; legend: ReturnType<typeof legendFor> }) {
  const { labels } = legend;
  const at = (i: number) => `${legend.rows.items[i]?.x ?? 0},${y + (legend.rows.items[i]?.row ?? 0) * LEGEND_H}`;
  const swatch = (i: number) => {
    const k = KINDS[i];
    if (k) return <rect x={0} y={2} width={10} height={10} rx={2} style={{ fill: KIND_COLOR[k] }} />;
    return <rect x={0} y={2} width={10} height={10} rx={2} className={i === KINDS.length ? 'legend-noref' : 'legend-released'} />;
  };
  return (
    <g className="bio-legend">
      {labels.map((label, i) => (
        <g key={label} transform={`translate(${at(i)})`}>
          {swatch(i)}
          <text x={14} y={11}>
            {label}
          </text>
        </g>
      ))}
    </g>
  );
}
