// The refcount graph, pure: holders (left, grouped by kind) → folios (right), one d3-shape link per
// (holder, folio) pair, each folio showing its refcount as the sum of its edges. The connected RefGraphPanel
// computes the picture from the store and keeps the ghosts of edges that just went away.

import { ZeroHatches } from '../common/ZeroHatches';
import { useRef, type KeyboardEvent } from 'react';
import { HOLDER_KIND_COLOR, KIND_COLOR, KIND_LABEL, folioLabel, formatCount } from '../common/palette';
import { useAttrTween, useCountTween, useFadeOut, usePathTween } from '../memory/tween';
import { FOLIO_H, GROUP_HEAD, HOLDER_LINE, holderChars, holderLines, sumParts, type FolioNode, type GraphEdge, type GraphGeometry, type GraphPicture, type HolderNode } from './layout';

export interface RefGraphViewProps {
  picture: GraphPicture;
  geo: GraphGeometry;
  /** Edges that existed at the previous step and are gone now, drawn fading out (decoration only). */
  ghosts?: readonly GraphEdge[];
  onSelect(id: number): void;
  /** Drawing scale (the panel shrinks a slightly too tall graph to fit). */
  scale?: number;
  /** An edge label character's advance in the picture's units (its mono type is larger on a projector). */
  labelCharW?: number;
}

/** An edge label's mono advance at the desk's 10-unit type. */
export const EDGE_LABEL_CHAR_W = 6;

/**
 * An edge label as drawn: a leaked one says so, unless the words would run back over the holder column
 * (the edge's dashes, the leak group and the folio's underlined term still say it).
 */
export function edgeLabelText(e: Pick<GraphEdge, 'label' | 'leaked' | 'tx'>, geo: Pick<GraphGeometry, 'holderX' | 'holderW'>, charW: number): string {
  if (!e.leaked) return e.label;
  const long = `${e.label} leaked`;
  const room = e.tx - 7 - (geo.holderX + geo.holderW);
  return long.length * charW <= room ? long : e.label;
}

const HATCH_ZERO = 'graph-hatch-zero';
const HATCH_HUGEZERO = 'graph-hatch-hugezero';

function holderColor(kind: string, leaked: boolean): string {
  return leaked ? 'var(--leak)' : (HOLDER_KIND_COLOR[kind] ?? 'var(--holder-kernel)');
}

export function RefGraphView({ picture, geo, ghosts = [], onSelect, scale = 1, labelCharW = EDGE_LABEL_CHAR_W }: RefGraphViewProps) {
  const lit = picture.edges.filter((e) => e.lit && !e.current);
  const dim = picture.edges.filter((e) => !e.lit && !e.current);
  const current = picture.edges.filter((e) => e.current);
  const total = picture.edges.reduce((n, e) => n + e.refs, 0);
  return (
    <svg
      className="graph-svg"
      xmlns="http://www.w3.org/2000/svg"
      width={Math.round(geo.width * scale)}
      height={Math.round(picture.height * scale)}
      viewBox={`0 0 ${geo.width} ${picture.height}`}
      role="group"
      aria-label={`Refcount graph: ${picture.edges.length} holder-to-folio edges carrying ${total} references`}
    >
      <defs>
        <ZeroHatches zeroId={HATCH_ZERO} hugeZeroId={HATCH_HUGEZERO} />
      </defs>
      <g className="graph-groups">
        {picture.groups.map((g) => (
          <g key={g.id} className={`gg gg-${g.id}`} transform={`translate(${geo.holderX},${g.y})`}>
            <text x={0} y={GROUP_HEAD - 5}>
              {g.label}
            </text>
            <line x1={0} x2={geo.holderW} y1={GROUP_HEAD - 1.5} y2={GROUP_HEAD - 1.5} />
          </g>
        ))}
      </g>
      <g className="graph-edges">
        {ghosts.map((e) => (
          <GhostEdge key={`ghost:${e.key}`} edge={e} />
        ))}
        {[...dim, ...lit, ...current].map((e) => (
          <Edge key={e.key} edge={e} />
        ))}
      </g>
      <g className="graph-holders">
        {picture.holders.map((h) => (
          <Holder key={h.key} node={h} geo={geo} />
        ))}
      </g>
      <g className="graph-folios">
        {picture.folios.map((f) => (
          <Folio key={f.id} node={f} geo={geo} onSelect={onSelect} />
        ))}
      </g>
      <g className="graph-labels" aria-hidden="true">
        {[...dim, ...lit, ...current].filter((e) => e.label !== '').map((e) => (
          <text key={e.key} className={edgeClass(e, 'edge-label')} x={e.tx - 7} y={e.ty - 3.5} textAnchor="end" style={{ fill: holderColor(e.kind, e.leaked) }}>
            {edgeLabelText(e, geo, labelCharW)}
          </text>
        ))}
      </g>
    </svg>
  );
}

function edgeClass(e: GraphEdge, base: string): string {
  return [base, e.leaked ? `${base}-leak` : `${base}-${e.kind}`, e.current ? `${base}-current` : '', e.lit ? '' : `${base}-dim`].filter(Boolean).join(' ');
}

function Edge({ edge }: { edge: GraphEdge }) {
  const ref = useRef<SVGPathElement>(null);
  usePathTween(ref, edge.d, !edge.leaked);
  useAttrTween(ref, { 'stroke-width': edge.width });
  return (
    <path
      ref={ref}
      className={edgeClass(edge, 'edge')}
      d={edge.d}
      strokeWidth={edge.width}
      style={{ stroke: holderColor(edge.kind, edge.leaked) }}
      data-edge={edge.key}
      data-refs={edge.refs}
      data-pins={edge.pins}
    >
      <title>{`${edge.holder} → folio ${edge.folio}: ${edge.refs} reference${edge.refs === 1 ? '' : 's'}${edge.pins ? ` (${edge.pins} pin${edge.pins === 1 ? '' : 's'})` : ''}${edge.leaked ? ', leaked' : ''}`}</title>
    </path>
  );
}

function GhostEdge({ edge }: { edge: GraphEdge }) {
  const ref = useRef<SVGPathElement>(null);
  useFadeOut(ref);
  return <path ref={ref} className="edge edge-ghost" d={edge.d} strokeWidth={edge.width} style={{ stroke: holderColor(edge.kind, edge.leaked) }} aria-hidden="true" />;
}

function Holder({ node, geo }: { node: HolderNode; geo: GraphGeometry }) {
  const classes = ['gh', `gh-${node.group}`, node.active ? 'gh-active' : 'gh-idle', node.leaked ? 'gh-leak' : '', node.current ? 'gh-current' : ''].filter(Boolean).join(' ');
  const color = holderColor(node.kind, node.leaked);
  const lines = holderLines(node.short, holderChars(geo.holderW, geo.charW));
  const top = lines.length > 1 ? -HOLDER_LINE / 2 : 0;
  return (
    <g className={classes} transform={`translate(${geo.holderX},${node.y})`} data-holder={node.key}>
      <title>{`${node.label}${node.active ? `: holds ${node.refs} reference${node.refs === 1 ? '' : 's'}` : ': holds nothing at this step'}`}</title>
      {node.current && <rect className="gh-hl" x={-4} y={top - 9} width={geo.holderW + 8} height={18 - 2 * top} rx={4} />}
      <rect className="gh-chip" x={0} y={top - 6} width={5} height={12 - 2 * top} rx={1.5} style={{ fill: color }} />
      <text className="gh-text" x={11} y={top + 4}>
        {lines.length === 1
          ? lines[0]
          : lines.map((line, i) => (
              <tspan key={i} x={11} dy={i === 0 ? 0 : HOLDER_LINE}>
                {line}
              </tspan>
            ))}
      </text>
      {node.active && <circle className="gh-port" cx={geo.holderW} cy={0} r={3} style={{ fill: color }} />}
    </g>
  );
}

function activate(e: KeyboardEvent, run: () => void) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  e.stopPropagation();
  run();
}

/** The sum line's terms as drawn (a focus view caps them; holders not drawn still count in "… more"). */
function sumLine(node: FolioNode, width: number) {
  const v = node.view!;
  const refText = formatCount(v.refcount);
  const maxChars = Math.floor((width - 26) / 6.9) - refText.length - 3;
  const parts = sumParts(node.terms, maxChars);
  const undrawn = v.holders.filter((h) => h.refs !== 0).length - node.terms.filter((t) => t.refs !== 0).length;
  const hidden = parts.hidden + Math.max(0, undrawn);
  const more = hidden > 0 ? ` + … ${hidden} more` : '';
  const eq = node.terms.length > 0 ? ' = ' : 'refcount ';
  const mismatch = v.held !== v.refcount ? ` ≠ ${v.held.toLocaleString('en-US')} held` : '';
  const text = `${parts.terms.map((t) => t.text).join(' + ')}${more}${eq}${refText}${mismatch}`;
  return { terms: parts.terms, more, eq, mismatch, text };
}

/** " · maybe pinned", or " · pinned?" where the longer words would run past the node (its sans type is a little narrower than the labels' mono). */
function maybePinnedText(v: NonNullable<FolioNode['view']>, width: number, charW: number): string {
  const long = ' · maybe pinned';
  return 14 + (`mapcount ${v.mapcount}`.length + long.length) * charW * 0.9 <= width - 6 ? long : ' · pinned?';
}

function countersText(v: NonNullable<FolioNode['view']>, width: number, charW: number): string {
  return `mapcount ${v.mapcount}${v.order > 0 ? ` · pincount ${v.pincount}` : ''}${v.pinned && v.order === 0 ? maybePinnedText(v, width, charW) : ''}`;
}

/**
 * A folio node's accessible name: its visible text in drawing order (WCAG 2.5.3: a speech user says what they
 * see), then in parentheses its kind and the counters spelled out.
 */
function folioDescription(node: FolioNode, width: number, charW: number): string {
  const f = node.folio;
  const name = folioLabel(f);
  if (node.state === 'unborn') return `${name} not allocated yet`;
  if (!node.view) return `${name} freed`;
  const v = node.view;
  const special = f.kind === 'zero' || f.kind === 'hugezero';
  const visible = [name, special ? null : f.kind === 'file' ? 'page cache' : f.kind, sumLine(node, width).text, countersText(v, width, charW)].filter((x) => x);
  return `${visible.join(' ')} (${KIND_LABEL[f.kind]}: refcount ${v.refcount}, mapcount ${v.mapcount}${v.order > 0 ? `, pincount ${v.pincount}` : ''})`;
}

function Folio({ node, geo, onSelect }: { node: FolioNode; geo: GraphGeometry; onSelect(id: number): void }) {
  const f = node.folio;
  const special = f.kind === 'zero' || f.kind === 'hugezero';
  const classes = ['gf', `gf-${f.kind}`, `gf-${node.state}`, node.current ? 'gf-current' : '', node.selected ? 'gf-selected' : ''].filter(Boolean).join(' ');
  const select = () => onSelect(node.id);
  const w = geo.folioW;
  const v = node.view;
  const description = folioDescription(node, w, geo.charW);
  const bgStyle = special
    ? { fill: `url(#${f.kind === 'zero' ? HATCH_ZERO : HATCH_HUGEZERO})`, stroke: KIND_COLOR[f.kind] }
    : { fill: KIND_COLOR[f.kind], stroke: KIND_COLOR[f.kind] };
  // The {' '} between texts are not drawn (SVG draws only text inside <text>); they keep the words of
  // neighbouring texts apart for anything reading the node's text content, as assistive technology does.
  return (
    <g
      className={classes}
      transform={`translate(${geo.folioX},${node.y})`}
      data-folio={node.id}
      data-state={node.state}
      role="button"
      tabIndex={0}
      aria-pressed={node.selected}
      aria-label={description}
      onClick={select}
      onKeyDown={(e) => activate(e, select)}
    >
      <title>{description}</title>
      {node.current && <rect className="gf-ring-current" x={-5} y={-5} width={w + 10} height={FOLIO_H + 10} rx={9} />}
      {node.selected && <rect className="gf-ring-selected" x={-2.5} y={-2.5} width={w + 5} height={FOLIO_H + 5} rx={7.5} />}
      {v ? (
        <>
          <rect className="gf-bg" width={w} height={FOLIO_H} rx={6} style={bgStyle} />
          <rect className="gf-stripe" width={5} height={FOLIO_H} rx={2.5} style={{ fill: KIND_COLOR[f.kind] }} />
          {special && <rect className="gf-inner" x={9} y={22} width={w - 14} height={FOLIO_H - 26} rx={4} />}
          <text className={special ? 'gf-name gf-name-special' : 'gf-name'} x={12} y={16}>
            {special ? folioLabel(f).toUpperCase() : folioLabel(f)}
          </text>{' '}
          {!special && (
            <text className="gf-kind" x={w - 8} y={16} textAnchor="end" style={{ fill: KIND_COLOR[f.kind] }}>
              {f.kind === 'file' ? 'page cache' : f.kind}
            </text>
          )}{' '}
          <SumLine node={node} width={w} />{' '}
          <text className="gf-counters" x={14} y={FOLIO_H - 7}>
            <tspan className="gf-counter-label">mapcount </tspan>
            <tspan data-folio={f.id} data-field="mapcount">
              {String(v.mapcount)}
            </tspan>
            {v.order > 0 && <tspan className="gf-counter-label"> · pincount </tspan>}
            {v.order > 0 && (
              <tspan data-folio={f.id} data-field="pincount">
                {String(v.pincount)}
              </tspan>
            )}
            {v.pinned && v.order === 0 && <tspan className="gf-pinned">{maybePinnedText(v, w, geo.charW)}</tspan>}
          </text>
        </>
      ) : (
        <>
          <rect className="gf-outline" width={w} height={FOLIO_H} rx={6} style={node.state === 'freed' ? { stroke: KIND_COLOR[f.kind] } : undefined} />
          <text className="gf-name" x={12} y={16}>
            {folioLabel(f)}
          </text>{' '}
          <text className="gf-gone" x={12} y={36}>
            {node.state === 'freed' ? 'freed' : 'not allocated yet'}
          </text>
        </>
      )}
    </g>
  );
}

function SumLine({ node, width }: { node: FolioNode; width: number }) {
  const v = node.view!;
  const line = sumLine(node, width);
  return (
    <text className="gf-sum" x={14} y={35}>
      {line.terms.map((t, i) => (
        <tspan key={i}>
          {i > 0 && <tspan className="gf-eq">{' + '}</tspan>}
          <tspan className={t.leaked ? 'gf-term gf-term-leak' : 'gf-term'} style={{ fill: holderColor(t.kind, t.leaked) }}>
            {t.text}
          </tspan>
        </tspan>
      ))}
      {line.more && <tspan className="gf-more">{line.more}</tspan>}
      <tspan className="gf-eq">{line.eq}</tspan>
      <CountTspan value={v.refcount} folio={v.id} />
      {line.mismatch && <tspan className="gf-mismatch">{line.mismatch}</tspan>}
    </text>
  );
}

function CountTspan({ value, folio }: { value: number; folio: number }) {
  const ref = useRef<SVGTSpanElement>(null);
  useCountTween(ref, value, formatCount);
  return (
    <tspan ref={ref} className="gf-refcount" data-folio={folio} data-field="refcount" data-value={value}>
      {formatCount(value)}
    </tspan>
  );
}
