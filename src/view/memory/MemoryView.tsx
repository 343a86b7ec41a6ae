// The memory view, pure: the folio blocks of the rows in view, as SVG. The connected MemoryPanel decides
// which rows are in view (virtualized scrolling) and passes the store's snapshot, selection and callbacks.

import { RealCountMark, realCheckText, useRealCheck } from '../realtrace/RealCountMark';
import { ZeroHatches } from '../common/ZeroHatches';
import { useRef, type KeyboardEvent } from 'react';
import type { FolioView } from '../../core';
import { HOLDER_KIND_COLOR, HOLDER_KIND_LABEL, KIND_COLOR, KIND_LABEL, folioLabel, formatCount } from '../common/palette';
import {
  PAD,
  badgeWidth,
  barSegments,
  folioBadges,
  frameItems,
  pageTicks,
  rowTop,
  sumText,
  type BarSegment,
  type FrameItem,
  type FrameLayout,
  type FrameModel,
} from './layout';
import { useAttrTween, useCountTween, useFadeIn } from './tween';

export interface MemoryViewProps {
  model: FrameModel;
  layout: FrameLayout;
  /** The snapshot's folios (sorted by id) and its step. */
  folios: readonly FolioView[];
  step: number;
  /** Rows to draw: [first, end). */
  rows: readonly [number, number];
  /** Folio touched by the current event. */
  eventFolio?: number | undefined;
  selected: number | null;
  onSelect(id: number): void;
  /** Drawing scale (the panel shrinks a short grid to fit). */
  scale?: number;
}

export const HATCH_ZERO = 'mem-hatch-zero';
export const HATCH_HUGEZERO = 'mem-hatch-hugezero';
export const HATCH_UNOWNED = 'mem-hatch-unowned';

/** The SVG of rows [rows[0], rows[1]): positioned so that its top is the first row's top. */
export function MemoryView(props: MemoryViewProps) {
  const { model, layout, folios, step, rows, eventFolio, selected, onSelect } = props;
  const scale = props.scale ?? 1;
  const [r0, r1] = rows;
  const items = frameItems(model, layout, folios, step, r0, r1);
  const top = r0 === 0 ? 0 : rowTop(r0) - PAD;
  const bottom = r1 >= layout.rows ? layout.height : rowTop(r1);
  const height = Math.max(0, bottom - top);
  return (
    <svg
      className="memory-svg"
      xmlns="http://www.w3.org/2000/svg"
      width={layout.width * scale}
      height={height * scale}
      viewBox={`0 ${top} ${layout.width} ${height}`}
      role="group"
      aria-label={`Physical memory: ${layout.count} folios in pfn order`}
    >
      <MemoryDefs />
      {items.map((item) => (
        <FolioBlock key={item.id} item={item} isEvent={item.id === eventFolio} isSelected={item.id === selected} onSelect={onSelect} />
      ))}
    </svg>
  );
}

export function MemoryDefs() {
  return (
    <defs>
      <ZeroHatches zeroId={HATCH_ZERO} hugeZeroId={HATCH_HUGEZERO} />
      <pattern id={HATCH_UNOWNED} patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
        <rect width="4" height="4" style={{ fill: 'var(--leak)' }} opacity="0.25" />
        <line x1="0" y1="0" x2="0" y2="4" style={{ stroke: 'var(--leak)' }} strokeWidth="2" />
      </pattern>
    </defs>
  );
}

interface BlockProps {
  item: FrameItem;
  isEvent: boolean;
  isSelected: boolean;
  onSelect(id: number): void;
}

function activate(e: KeyboardEvent, run: () => void) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  // Space also means play/pause to the global shortcuts: this press is ours.
  e.stopPropagation();
  run();
}

function hexPfn(pfn: number): string {
  return `0x${pfn.toString(16)}`;
}

/** Everything a card draws as text, in drawing order; the accessible name is built from the same strings. */
interface CardTexts {
  name: string;
  kindTag: string | null;
  pfn: string;
  refText: string;
  map: string;
  pin: string | null;
  real: string | null;
  pages: string | null;
  badges: string[];
  sum: string;
  gone: string | null;
}

const RIGHT_W = 46;
const TICKS_X = 124;

function cardTexts(item: FrameItem, real: string | null): CardTexts {
  const f = item.folio;
  const v = item.view;
  const special = f.kind === 'zero' || f.kind === 'hugezero';
  const large = f.order > 0;
  if (!v) {
    return { name: folioLabel(f), kindTag: null, pfn: `pfn ${hexPfn(f.pfn)}`, refText: '', map: '', pin: null, real: null, pages: null, badges: [], sum: '', gone: item.state === 'freed' ? 'freed' : 'not allocated yet' };
  }
  const w = item.w;
  const segments = barSegments(v.holders, v.refcount, w - 24);
  const ticksW = w - TICKS_X - RIGHT_W - 14;
  return {
    name: special ? folioLabel(f).toUpperCase() : folioLabel(f),
    kindTag: special ? null : f.kind === 'file' ? 'page cache' : f.kind,
    pfn: `pfn ${hexPfn(f.pfn)}${large ? ` · order ${f.order}` : ''}${f.file !== undefined ? ` · ${f.file}[${f.index ?? 0}]` : ''}`,
    refText: formatCount(v.refcount),
    map: String(v.mapcount),
    pin: large ? String(v.pincount) : null,
    real,
    pages: large && ticksW > 20 ? `${2 ** f.order} pages` : null,
    badges: folioBadges(v).map((b) => b.text),
    sum: segments.length > 0 ? `= ${sumText(segments, Math.floor((w - 24) / 5.6) - 2)}` : v.refcount < 0 ? 'wrapped past 2^31' : '',
    gone: null,
  };
}

/**
 * A card's accessible name: its visible text in drawing order (so a speech user can say what they see, WCAG
 * 2.5.3), then in parentheses what the card shows by colour and position: the kind and the counters' names.
 */
export function cardName(item: FrameItem, t: CardTexts): string {
  const f = item.folio;
  const v = item.view;
  // The special folios' names are drawn in capitals; read in lower case, which compares the same.
  const visible = [item.view && (f.kind === 'zero' || f.kind === 'hugezero') ? folioLabel(f) : t.name, t.kindTag, t.pfn];
  if (!v) return [...visible, t.gone].join(' ');
  visible.push('refcount', t.refText, `map ${t.map}`, t.pin !== null ? `pin ${t.pin}` : null, t.real, t.pages, ...t.badges, t.sum);
  const extra = `${KIND_LABEL[f.kind]}, refcount ${v.refcount}, mapcount ${v.mapcount}${f.order > 0 ? `, pincount ${v.pincount}` : ''}`;
  return `${visible.filter((x) => x).join(' ')} (${extra})`;
}

function FolioBlock({ item, isEvent, isSelected, onSelect }: BlockProps) {
  const f = item.folio;
  const v = item.view;
  const special = f.kind === 'zero' || f.kind === 'hugezero';
  const classes = ['mb', `mb-${f.kind}`, `mb-${item.state}`, isEvent ? 'mb-event' : '', isSelected ? 'mb-selected' : ''].filter(Boolean).join(' ');
  const select = () => onSelect(item.id);
  const check = useRealCheck(f.id);
  const texts = cardTexts(item, check ? realCheckText(check) : null);
  const name = cardName(item, texts);
  return (
    <g
      className={classes}
      transform={`translate(${item.x},${item.y})`}
      data-folio={item.id}
      data-state={item.state}
      role="button"
      tabIndex={0}
      aria-pressed={isSelected}
      aria-label={name}
      onClick={select}
      onKeyDown={(e) => activate(e, select)}
    >
      <title>{name}</title>
      {isEvent && <rect className="mb-ring-event" x={-5} y={-5} width={item.w + 10} height={item.h + 10} rx={9} />}
      {isSelected && <rect className="mb-ring-selected" x={-2.5} y={-2.5} width={item.w + 5} height={item.h + 5} rx={7.5} />}
      {v ? <AliveBlock item={item} view={v} special={special} texts={texts} check={check} /> : <GoneBlock item={item} texts={texts} />}
    </g>
  );
}

// The {' '} between texts are not drawn (SVG draws only text inside <text>); they keep the words of
// neighbouring texts apart for anything reading the card's text content, as assistive technology does.
function GoneBlock({ item, texts }: { item: FrameItem; texts: CardTexts }) {
  const f = item.folio;
  const freed = item.state === 'freed';
  return (
    <>
      <rect className="mb-outline" width={item.w} height={item.h} rx={6} style={freed ? { stroke: KIND_COLOR[f.kind] } : undefined} />
      <text className="mb-name" x={12} y={20}>
        {texts.name}
      </text>{' '}
      <text className="mb-pfn" x={12} y={34}>
        {texts.pfn}
      </text>{' '}
      <text className="mb-gone" x={item.w / 2} y={item.h / 2 + 12} textAnchor="middle">
        {texts.gone}
      </text>
    </>
  );
}

function AliveBlock({ item, view, special, texts, check }: { item: FrameItem; view: FolioView; special: boolean; texts: CardTexts; check: ReturnType<typeof useRealCheck> }) {
  const f = item.folio;
  const ref = useRef<SVGGElement>(null);
  useFadeIn(ref);
  const w = item.w;
  const large = f.order > 0;
  const pages = 2 ** f.order;
  const badges = folioBadges(view);
  const barW = w - 24;
  const segments = barSegments(view.holders, view.refcount, barW);
  const numberRoom = (large ? Math.min(110, w - 24) : w - 24 - RIGHT_W) / (texts.refText.length * 0.6);
  const fontSize = Math.max(12, Math.min(28, numberRoom));
  const fill = special ? `url(#${f.kind === 'zero' ? HATCH_ZERO : HATCH_HUGEZERO})` : undefined;
  const ticksW = w - TICKS_X - RIGHT_W - 14;
  const ticks = texts.pages !== null ? pageTicks(pages, ticksW, 20) : null;
  const placed = badges.reduce<{ badge: (typeof badges)[number]; x: number; w: number }[]>((acc, badge) => {
    const last = acc[acc.length - 1];
    acc.push({ badge, x: last ? last.x + last.w + 4 : 12, w: badgeWidth(badge.text) });
    return acc;
  }, []);
  return (
    <g ref={ref}>
      <rect className="mb-bg" width={w} height={item.h} rx={6} style={special ? { fill, stroke: KIND_COLOR[f.kind] } : { fill: KIND_COLOR[f.kind], stroke: KIND_COLOR[f.kind] }} />
      <rect className="mb-stripe" width={6} height={item.h} rx={3} style={{ fill: KIND_COLOR[f.kind] }} />
      {special && <rect className="mb-inner" x={10} y={38} width={w - 16} height={item.h - 43} rx={4} />}
      <text className={special ? 'mb-name mb-name-special' : 'mb-name'} x={14} y={19}>
        {texts.name}
      </text>{' '}
      {texts.kindTag !== null && (
        <text className="mb-kindtag" x={w - 10} y={19} textAnchor="end" style={{ fill: KIND_COLOR[f.kind] }}>
          {texts.kindTag}
        </text>
      )}{' '}
      <text className="mb-pfn" x={14} y={33}>
        {texts.pfn}
      </text>{' '}
      <text className="mb-caption" x={14} y={48}>
        refcount
      </text>{' '}
      <CountText className="mb-ref" x={14} y={75} fontSize={fontSize} value={view.refcount} folio={f.id} field="refcount" />{' '}
      <text className="mb-counter" x={w - 10} y={48} textAnchor="end">
        <tspan className="mb-counter-label">map </tspan>
        <tspan data-folio={f.id} data-field="mapcount">
          {texts.map}
        </tspan>
      </text>{' '}
      {texts.pin !== null && (
        <text className="mb-counter" x={w - 10} y={64} textAnchor="end">
          <tspan className="mb-counter-label">pin </tspan>
          <tspan data-folio={f.id} data-field="pincount">
            {texts.pin}
          </tspan>
        </text>
      )}{' '}
      <RealCountMark check={check} folio={f.id} x={w - 10} y={large ? 80 : 64} />{' '}
      {ticks && (
        <g className="mb-ticks" transform={`translate(${TICKS_X},52)`} aria-hidden="true">
          <text className="mb-ticks-label" x={0} y={-6}>
            {texts.pages}
          </text>
          <rect width={ticksW} height={20} className="mb-ticks-bg" />
          <path d={ticks.minor} className="mb-tick-minor" />
          <path d={ticks.major} className="mb-tick-major" />
        </g>
      )}{' '}
      <g className="mb-badges" transform="translate(0,86)">
        {placed.map(({ badge: b, x, w: bw }) => (
          <g key={b.key} className={`mb-badge mb-badge-${b.key}`} transform={`translate(${x},0)`} data-folio={f.id} data-field={b.key}>
            <title>{b.title}</title>
            <rect width={bw} height={13} rx={3} />
            <text x={bw / 2} y={9.6} textAnchor="middle">
              {b.text}
            </text>{' '}
          </g>
        ))}
      </g>{' '}
      <g className="mb-bar" transform="translate(12,104)">
        <rect className="mb-bar-bg" width={barW} height={9} rx={2} />
        {segments.map((s) => (
          <BarRect key={s.kind} segment={s} />
        ))}
      </g>{' '}
      <text className="mb-sum" x={12} y={124}>
        {texts.sum}
      </text>
    </g>
  );
}

function BarRect({ segment }: { segment: BarSegment }) {
  const ref = useRef<SVGRectElement>(null);
  const x = Math.round(segment.x * 10) / 10;
  const width = Math.max(0, Math.round((segment.w - 0.5) * 10) / 10);
  useAttrTween(ref, { x, width });
  const color = segment.kind === 'unowned' ? `url(#${HATCH_UNOWNED})` : HOLDER_KIND_COLOR[segment.kind] ?? 'var(--holder-kernel)';
  const label = segment.kind === 'unowned' ? 'owned by no holder' : HOLDER_KIND_LABEL[segment.kind] ?? segment.kind;
  return (
    <rect ref={ref} className={`mb-seg mb-seg-${segment.kind}`} x={x} width={width} height={9} style={{ fill: color }} data-kind={segment.kind} data-refs={segment.refs}>
      <title>{`${segment.refs} from ${label}${segment.holders.length ? `: ${segment.holders.join(', ')}` : ''}`}</title>
    </rect>
  );
}

interface CountTextProps {
  className: string;
  x: number;
  y: number;
  fontSize: number;
  value: number;
  folio: number;
  field: string;
}

/** A counter whose text counts from its previous value to `value` (d3 tween); the rendered text is final. */
export function CountText({ className, x, y, fontSize, value, folio, field }: CountTextProps) {
  const ref = useRef<SVGTextElement>(null);
  useCountTween(ref, value, formatCount);
  return (
    <text ref={ref} className={className} x={x} y={y} style={{ fontSize }} data-folio={folio} data-field={field} data-value={value}>
      {formatCount(value)}
    </text>
  );
}
