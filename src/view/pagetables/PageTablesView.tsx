// The page-table view as a pure component: a task's VMAs and the x86-64 4-level walk (PGD→PUD→PMD→PTE) for
// every address the run ever mapped, with the 9-bit index at each level, the PTE bits that matter and the
// folio each entry maps. Props in, SVG/HTML out; the connected PageTablesPanel feeds it from the store.

import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Catalog, FolioView, PteView, Snapshot, TaskView } from '../../core';
import { KIND_COLOR, KIND_LABEL, folioLabel } from '../common/palette';
import {
  BITS,
  BIT_TITLE,
  FOLD_WINDOW,
  folioLook,
  foldText,
  formatPages,
  LEVEL_NAMES,
  ROW_H,
  columns,
  presentColumns,
  presentStripGeometry,
  stretchRows,
  stripGeometry,
  entryBits,
  hexVa,
  indexBreakdown,
  layoutPageTables,
  rowFolioText,
  rowForVa,
  type BitName,
  type Columns,
  type FolioLook,
  type FolioRef,
  type FoldOptions,
  type IndexSpan,
  type PtLayout,
  type PtRow,
  type ViewType,
} from './layout';

export interface PageTablesViewProps {
  snapshot: Snapshot;
  catalog: Catalog;
  /** The task whose page tables are shown. */
  task: string;
  /** Drawing width in px (the panel measures it; tests use the default). */
  width?: number;
  selectedFolio: number | null;
  /** The address whose walk is explained (hovered or picked); null: the current event's, or the first mapped. */
  focusVa: number | null;
  onSelectFolio?: (id: number) => void;
  onSelectTask?: (task: string) => void;
  onHoverVa?: (va: number | null) => void;
  onPickVa?: (va: number) => void;
  /** Projector type (in the views' units): the columns are sized from it; absent at the desk. */
  type?: ViewType;
  /** The height of the walk's room (in the views' units): a few rows are spread down it. */
  walkHeight?: number;
}

const HEADER_H = 18;
const EMPTY_OPEN: ReadonlyMap<string, number> = new Map();

function activate(handler: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      handler();
    }
  };
}

/** Tasks for the tab row: every mm owner the run had (stable order), then any task sharing an mm. */
export function taskTabs(snapshot: Snapshot, catalog: Catalog): { name: string; alive: boolean; current: boolean }[] {
  const names = [...catalog.tasks];
  for (const t of snapshot.tasks) if (!names.includes(t.name)) names.push(t.name);
  return names.map((name) => {
    const t = snapshot.tasks.find((x) => x.name === name);
    return { name, alive: t?.alive ?? false, current: snapshot.currentTask === name };
  });
}

/** The address to explain when nothing is hovered or picked: the current event's, else the first mapped one. */
export function defaultFocus(snapshot: Snapshot, task: string, layout: PtLayout): number | null {
  const ev = snapshot.event;
  if (ev?.va !== undefined && (ev.task === undefined || ev.task === task) && rowForVa(layout.rows, ev.va)) return ev.va;
  return layout.rows.find((r) => r.entry)?.va ?? layout.rows[0]?.va ?? null;
}

export function PageTablesView(props: PageTablesViewProps) {
  const { snapshot, catalog, task } = props;
  const view: TaskView | undefined = snapshot.tasks.find((t) => t.name === task);
  // Folios are looked up by id for the rows drawn only: a big run has hundreds of thousands.
  const catalogFolios = useMemo(() => new Map(catalog.folios.map((f) => [f.id, f])), [catalog]);
  // By id in an array: a big run's hundreds of thousands of folios are indexed faster than into a Map.
  const liveFolios = useMemo(() => {
    const byId: FolioView[] = [];
    for (const f of snapshot.folios) byId[f.id] = f;
    return { get: (id: number): FolioView | undefined => byId[id] };
  }, [snapshot]);
  const folioRef = useMemo(
    () =>
      (id: number): FolioRef | undefined => {
        const f = liveFolios.get(id) ?? catalogFolios.get(id);
        return f ? { kind: f.kind, label: folioLabel(f) } : undefined;
      },
    [liveFolios, catalogFolios],
  );
  const lookOf = useMemo(() => (id: number): FolioLook | undefined => {
    const f = liveFolios.get(id);
    return f ? folioLook(f) : undefined;
  }, [liveFolios]);
  // Opened folds of this task: how many of their rows are shown.
  const [opened, setOpened] = useState<{ task: string; open: ReadonlyMap<string, number> }>({ task, open: new Map() });
  const open = opened.task === task ? opened.open : EMPTY_OPEN;
  const setShown = (key: string, shown: number) => {
    const next = new Map(open);
    if (shown > 0) next.set(key, shown);
    else next.delete(key);
    setOpened({ task, open: next });
  };
  const ev = snapshot.event;
  const evHere = ev !== undefined && (ev.task === undefined || ev.task === task);
  const evVa = evHere ? ev.va : undefined;
  const evFolio = evHere ? ev.folio : undefined;
  const selected = props.selectedFolio;
  const fold = useMemo(
    (): FoldOptions => ({ lookOf, open, keepVas: evVa !== undefined ? [evVa] : [], keepFolios: [selected, evFolio] }),
    [lookOf, open, evVa, evFolio, selected],
  );
  const baseLayout = useMemo(() => layoutPageTables(catalog, task, view, ROW_H, fold), [catalog, task, view, fold]);
  const type = props.type;
  const labelChars = useMemo(
    // At least "×3 → zero page": the label goes beside or under the bits the same way from step to step.
    () => (type ? baseLayout.rows.reduce((n, r) => (r.fold || r.more ? n : Math.max(n, rowFolioText(r, r.entry ? folioRef(r.entry.folio) : undefined).length)), 14) : 0),
    [type, baseLayout, folioRef],
  );
  const fitted = type ? presentColumns(props.width ?? 640, type, labelChars) : columns(props.width ?? 640);
  const cols = stretchRows(fitted, baseLayout.rows.length, props.walkHeight ?? 0, HEADER_H);
  const layout = useMemo(() => (cols.rowH === ROW_H ? baseLayout : layoutPageTables(catalog, task, view, cols.rowH, fold)), [cols.rowH, baseLayout, catalog, task, view, fold]);
  const focus = props.focusVa ?? defaultFocus(snapshot, task, layout);
  const focusRow = focus !== null ? rowForVa(layout.rows, focus) : undefined;
  const tabs = taskTabs(snapshot, catalog);

  return (
    <div className="pt-view">
      {tabs.length > 1 && (
        <div className="pt-tabs" role="tablist" aria-label="Task">
          {tabs.map((t) => (
            <button
              key={t.name}
              type="button"
              role="tab"
              aria-selected={t.name === task}
              className={`pt-tab${t.name === task ? ' active' : ''}${t.alive ? '' : ' gone'}`}
              onClick={() => props.onSelectTask?.(t.name)}
              title={t.current ? `${t.name} runs the next statement` : t.alive ? t.name : `${t.name} does not exist at this step`}
            >
              {t.current && <span className="pt-current-dot" aria-label="current task" />}
              {t.name}
            </button>
          ))}
        </div>
      )}
      <VmaList view={view} />
      <IndexStrip va={focus} row={focusRow} cols={cols} available={props.width ?? 640} {...(type ? { type } : {})} />
      <div className="pt-scroll" onMouseLeave={() => props.onHoverVa?.(null)}>
        <svg
          className={`pt-walk${cols.compact ? ' compact' : ''}${cols.tight ? ' tight' : ''}`}
          width={cols.width}
          height={HEADER_H + Math.max(layout.height, cols.rowH)}
          viewBox={`0 0 ${cols.width} ${HEADER_H + Math.max(layout.height, cols.rowH)}`}
          aria-label={`Page-table walk of ${task}: ${layout.rows.length} rows`}
        >
          <ColumnHeader cols={cols} />
          <g transform={`translate(0,${HEADER_H})`}>
            {layout.rows.length === 0 && (
              <text className="pt-empty-note" x={cols.va.x + 4} y={13}>
                {view ? 'nothing mapped yet: pages are mapped when first touched' : `${task} does not exist at this step`}
              </text>
            )}
            <g className="pt-vmas-band">
              {layout.vmaBands.map((b) => (
                <g key={`${b.name}:${b.y}`} className="pt-vma-band" data-tw={`vma:${b.name}:${b.y}`} data-tw-transform={`translate(0,${b.y})`} transform={`translate(0,${b.y})`}>
                  <rect x={2} y={1} width={3} height={b.h - 2} rx={1.5} data-tw={`vmah:${b.name}:${b.y}`} data-tw-height={b.h - 2} />
                  {!cols.compact && (
                    <text x={8} y={cols.rowPad + 13} className="pt-vma-name">
                      {b.name}
                    </text>
                  )}
                  <title>{`VMA ${b.name}`}</title>
                </g>
              ))}
            </g>
            {layout.rows.map((r) =>
              r.fold || r.more ? (
                <FoldRow
                  key={r.key}
                  row={r}
                  cols={cols}
                  focused={focusRow?.key === r.key}
                  onShow={(shown) => setShown(r.fold ? r.fold.key : r.more!.key, shown)}
                  {...(props.onHoverVa ? { onHoverVa: props.onHoverVa } : {})}
                />
              ) : (
              <Row
                key={r.key}
                row={r}
                cols={cols}
                folio={r.entry ? folioRef(r.entry.folio) : undefined}
                focused={focusRow?.key === r.key}
                selected={r.entry !== null && r.entry.folio === props.selectedFolio}
                pmdTablePresent={layout.spans.some((s) => s.level === 'pmd' && s.present && !s.leaf && s.index === r.indices.pmd && s.y <= r.y && r.y < s.y + s.h)}
                {...(props.onSelectFolio ? { onSelectFolio: props.onSelectFolio } : {})}
                {...(props.onHoverVa ? { onHoverVa: props.onHoverVa } : {})}
                {...(props.onPickVa ? { onPickVa: props.onPickVa } : {})}
              />
              ),
            )}
            {layout.spans.filter((s) => cols.levels.includes(s.level)).map((s) => (
              <Span key={s.key} span={s} cols={cols} onPath={focusRow !== undefined && onPath(s, focusRow)} leafFolio={s.leaf ? leafFolio(layout, s, folioRef) : undefined} />
            ))}
          </g>
        </svg>
      </div>
    </div>
  );
}

function onPath(s: IndexSpan, r: PtRow): boolean {
  return s.y <= r.y && r.y < s.y + s.h;
}

function leafFolio(layout: PtLayout, s: IndexSpan, folioRef: (id: number) => FolioRef | undefined): FolioRef | undefined {
  const leaf = layout.rows.find((r) => r.level === 'pmd' && r.y === s.y && r.entry);
  return leaf?.entry ? folioRef(leaf.entry.folio) : undefined;
}

function VmaList({ view }: { view: TaskView | undefined }) {
  if (!view || view.vmas.length === 0) return <p className="pt-vmas-none hint">{view ? 'no mappings yet' : 'task not present at this step'}</p>;
  return (
    <table className="pt-vmas">
      <tbody>
        {[...view.vmas]
          .sort((a, b) => a.start - b.start)
          .map((v) => (
            <tr key={v.name}>
              <th scope="row">{v.name}</th>
              <td className="mono">
                {hexVa(v.start)}–{hexVa(v.end)}
              </td>
              <td>{formatSize(v.end - v.start)}</td>
              {/* One cell for the tags, which wrap in a narrow panel (the other cells keep their line). */}
              <td className="pt-vma-tags">
                <span className={`pt-tag ${v.backing === 'anon' ? 'anon' : 'file'}`}>{v.backing === 'anon' ? 'anon' : v.file ? `${v.backing} ${v.file}` : v.backing}</span>{' '}
                <span className="pt-tag">{v.shared ? 'shared' : 'private'}</span> <span className="pt-tag">{v.writable ? 'rw' : 'ro'}</span>
                {v.thp ? (
                  <>
                    {' '}
                    <span className="pt-tag thp">THP</span>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

export function formatSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}


/** How the MMU splits the address into four 9-bit indices and a 12-bit offset. */
function IndexStrip({ va, row, cols, available, type }: { va: number | null; row: PtRow | undefined; cols: Columns; available: number; type?: ViewType }) {
  if (va === null) return null;
  const { compact } = cols;
  const g = type ? presentStripGeometry(available, type) : stripGeometry(cols, available);
  const parts = indexBreakdown(va);
  const eq = compact ? '=' : ' = ';
  const offsetHex = `0x${(va % 4096).toString(16).padStart(3, '0')}`;
  const offsetBin = (va % 4096).toString(2).padStart(12, '0');
  const leaf = row?.level === 'pmd' && row.entry !== null;
  const where = row ? (row.entry ? (row.level === 'pmd' ? 'PMD leaf' : 'PTE present') : row.level === 'pmd' ? 'no PMD leaf' : 'PTE not present') : '';
  return (
    <svg className={`pt-strip${compact ? ' compact' : ''}`} width={g.width} height={g.height} role="img" aria-label={`Index computation for ${hexVa(va)}`}>
      {g.stacked ? (
        <text x={0} y={12} className="pt-strip-label">
          walk of <tspan className="pt-strip-va">{hexVa(va)}</tspan> <tspan className="pt-strip-where">{where}</tspan>
        </text>
      ) : (
        <>
          <text x={0} y={12} className="pt-strip-label">
            walk of
          </text>
          <text x={0} y={26} className="pt-strip-va">
            {hexVa(va)}
          </text>
          <text x={0} y={40} className="pt-strip-where">
            {where}
          </text>
        </>
      )}
      {parts.map((p, i) => (
        <g key={p.level} transform={`translate(${g.x0 + i * g.groupW},${g.top})`} className={`pt-strip-part lvl-${p.level}${leaf && p.level === 'pte' ? ' unused' : ''}`}>
          <text x={0} y={12} className="pt-strip-name">
            {LEVEL_NAMES[p.level]}
            {g.ranges ? (
              <>
                {' '}
                <tspan className="pt-strip-bits">{`${p.hi}–${p.lo}`}</tspan>
              </>
            ) : (
              <title>{`${LEVEL_NAMES[p.level]}: bits ${p.hi}–${p.lo} of the address`}</title>
            )}
          </text>
          <rect x={-2} y={15} width={g.groupW - 6} height={14} rx={2} className="pt-strip-box" />
          <text x={1} y={26} className="pt-strip-bin">
            {p.binary}
          </text>
          <text x={0} y={40} className="pt-strip-idx">
            {leaf && p.level === 'pte' ? 'in the 2 MiB page' : `${p.hex}${eq}${p.index}`}
          </text>
        </g>
      ))}
      <g transform={`translate(${g.x0 + 4 * g.groupW},${g.top})`} className="pt-strip-part lvl-off">
        <text x={0} y={12} className="pt-strip-name">
          offset
          {g.ranges ? (
            <>
              {' '}
              <tspan className="pt-strip-bits">11–0</tspan>
            </>
          ) : (
            <title>offset: bits 11–0 of the address</title>
          )}
        </text>
        {g.offsetBinary && (
          <text x={1} y={26} className="pt-strip-bin">
            {offsetBin}
          </text>
        )}
        <text x={0} y={40} className="pt-strip-idx">
          {offsetHex}
        </text>
      </g>
    </svg>
  );
}

function ColumnHeader({ cols }: { cols: Columns }) {
  return (
    <g className="pt-header">
      {!cols.compact && (
        <text x={cols.vma.x + 2} y={12}>
          VMA
        </text>
      )}
      <text x={cols.va.x + 4} y={12}>
        {cols.vaHeader}
        {cols.vaHeader !== 'virtual address' && <title>virtual address</title>}
      </text>
      {cols.levels.map((l) => (
        <text key={l} x={cols.level[l].x + cols.level[l].w / 2} y={12} textAnchor="middle" className={`lvl-${l}`}>
          {LEVEL_NAMES[l]}
        </text>
      ))}
      {BITS.map((b) => (
        <text key={b} x={cols.bits.band(b) + cols.bits.cellOf(b) / 2} y={12} textAnchor="middle">
          {b}
          <title>{BIT_TITLE[b]}</title>
        </text>
      ))}
      {!cols.mapsBelow && (
        <text x={cols.folio.x + 2} y={12}>
          maps
        </text>
      )}
    </g>
  );
}

interface RowProps {
  row: PtRow;
  cols: Columns;
  folio: FolioRef | undefined;
  focused: boolean;
  selected: boolean;
  pmdTablePresent: boolean;
  onSelectFolio?: (id: number) => void;
  onHoverVa?: (va: number | null) => void;
  onPickVa?: (va: number) => void;
}

function rowClass(r: PtRow, folio: FolioRef | undefined, focused: boolean, selected: boolean): string {
  const c = ['pt-row', r.level];
  if (!r.entry) c.push('absent');
  else if (folio) c.push(`kind-${folio.kind}`);
  if (r.entry?.special) c.push('special');
  if (r.count > 1) c.push('run');
  if (focused) c.push('focused');
  if (selected) c.push('selected');
  return c.join(' ');
}

/** What a bit's cell shows: its letter when set, a dash when clear (as /proc/<pid>/maps writes "rw-p"). */
export function bitText(b: BitName, on: boolean): string {
  return on ? b : '-';
}

/** The bits a row's cells spell out, set ones only (the dashes are not read), e.g. "P U A S". */
function setBits(bits: ReturnType<typeof entryBits>): BitName[] {
  return BITS.filter((b) => bits[b]);
}

/**
 * A row's accessible name. It starts with the row's visible text in the order it is drawn (the address, the PTE
 * index, the set bits, the note), so a speech user can say what they see (WCAG 2.5.3); what the picture says by
 * position and colour follows in parentheses.
 */
export function rowName(r: PtRow, folio: FolioRef | undefined, pmdNote: boolean): string {
  const bits = setBits(entryBits(r.entry));
  const visible = [hexVa(r.va)];
  if (r.level === 'pte') visible.push(r.count > 1 ? `${r.indices.pte}–${r.pteLast}` : String(r.indices.pte));
  if (pmdNote) visible.push(PMD_NOTE);
  else visible.push(...bits);
  if (!r.entry) visible.push(rowFolioText(r, undefined));
  const what = `${r.level === 'pmd' ? 'PMD' : 'PTE'}${r.count > 1 ? ` for this and the next ${r.count - 1} pages` : ''}`;
  const set = pmdNote ? '' : bits.length ? `; bits set: ${bits.map((b) => BIT_TITLE[b].replace(/ \(.*$/, '')).join(', ')}` : '; no bits set';
  const maps = r.entry ? `; maps ${folio?.label ?? `F${r.entry.folio}`}` : '';
  return `${visible.join(' ')} (${what}${set}${maps})`;
}

const PMD_NOTE = 'PMD entry → PTE table (no leaf)';

// A row is two siblings inside its positioned group: the row itself (a button that picks the address) and the
// folio label (a button that selects the folio), so neither control is nested in the other. A click anywhere on
// the group but the label picks the address; focusing either explains the address.
function Row({ row: r, cols, folio, focused, selected, pmdTablePresent, onSelectFolio, onHoverVa, onPickVa }: RowProps) {
  const bits = entryBits(r.entry);
  const pte = cols.level.pte;
  const pick = () => onPickVa?.(r.va);
  const pmdNote = r.level === 'pmd' && !r.entry && pmdTablePresent;
  // The label's line: beside the bits, or the row's second line.
  const labelY = cols.rowPad + (cols.mapsBelow ? ROW_H : 0);
  const top = cols.rowPad;
  return (
    <g
      className={rowClass(r, folio, focused, selected)}
      data-tw={`row:${r.key}`}
      data-tw-transform={`translate(0,${r.y})`}
      data-tw-opacity={1}
      data-tw-from-opacity={0}
      transform={`translate(0,${r.y})`}
      opacity={1}
      data-va={hexVa(r.va)}
      data-level={r.level}
      data-count={r.count}
      data-present={r.entry ? 'true' : 'false'}
      {...(r.entry ? { 'data-folio': r.entry.folio } : {})}
      onMouseEnter={() => onHoverVa?.(r.va)}
      onFocus={() => onHoverVa?.(r.va)}
      onClick={pick}
    >
      <g className="pt-row-hit" role="button" tabIndex={0} aria-label={rowName(r, folio, pmdNote)} aria-pressed={focused} onKeyDown={activate(pick)}>
        <rect className="pt-row-bg" x={cols.va.x} y={0} width={cols.width - cols.va.x} height={cols.rowH} />
        <text className="pt-va" x={cols.va.x + 4} y={top + 13}>
          {hexVa(r.va)}
        </text>{' '}
        {r.level === 'pte' ? (
          <g className={`pt-cell pte${r.entry ? ' present' : ' none'}`}>
            <rect x={pte.x} y={top + 2} width={pte.w} height={ROW_H - 4} rx={2} />
            <text x={pte.x + pte.w / 2} y={top + 13} textAnchor="middle">
              {r.count > 1 ? `${r.indices.pte}–${r.pteLast}` : r.indices.pte}
            </text>
          </g>
        ) : null}{' '}
        {pmdNote ? (
          <text className="pt-pmd-note" x={cols.mapsBelow ? cols.folio.x : cols.bits.x} y={labelY + 13}>
            {PMD_NOTE}
          </text>
        ) : (
          <Bits bits={bits} cols={cols} top={top} zero={folio?.kind === 'zero' || folio?.kind === 'hugezero'} />
        )}{' '}
        {!pmdNote && !(r.entry && folio) ? (
          <text className="pt-absent" x={cols.folio.x + 2} y={labelY + 13}>
            {rowFolioText(r, undefined)}
          </text>
        ) : null}
      </g>
      {!pmdNote && r.entry && folio ? (
        <FolioLabel r={r} entry={r.entry} folio={folio} x={cols.folio.x} y={labelY} maxW={cols.folio.w - 2} charW={cols.charW} {...(onSelectFolio ? { onSelect: onSelectFolio } : {})} />
      ) : null}
    </g>
  );
}

interface FoldRowProps {
  row: PtRow;
  cols: Columns;
  focused: boolean;
  /** Show this many of the fold's rows (0 closes it). */
  onShow: (shown: number) => void;
  onHoverVa?: (va: number | null) => void;
}

/** A folded row's accessible name: its text, then what opening it does. */
export function foldName(r: PtRow): string {
  const f = r.fold!;
  const folios = f.folios ? `; maps ${f.folios.first === f.folios.last ? `F${f.folios.first}` : `F${f.folios.first} to F${f.folios.last}`}` : '';
  const state = f.shown > 0 ? `opened, ${f.shown} of ${f.rows} rows shown` : `folded: ${f.rows} alike rows`;
  return `${foldText(r)} (${state}${folios})`;
}

/**
 * A fold of alike rows, drawn across the row (the address range over its two lines), a button that opens it to
 * its first FOLD_WINDOW rows and closes it; or, after an opened fold's rows, the button that shows more.
 */
function FoldRow({ row: r, cols, focused, onShow, onHoverVa }: FoldRowProps) {
  const f = (r.fold ?? r.more)!;
  const x = cols.va.x;
  const w = cols.width - x;
  const common = {
    'data-tw': `row:${r.key}`,
    'data-tw-transform': `translate(0,${r.y})`,
    'data-tw-opacity': 1,
    'data-tw-from-opacity': 0,
    transform: `translate(0,${r.y})`,
    opacity: 1,
    'data-va': hexVa(r.va),
    'data-count': r.count,
    onMouseEnter: () => onHoverVa?.(r.va),
    onFocus: () => onHoverVa?.(r.va),
  };
  if (r.more) {
    const more = () => onShow(Math.min(f.rows, f.shown + FOLD_WINDOW));
    const label = `${formatPages(r.count)} more · show ${Math.min(FOLD_WINDOW, f.rows - f.shown)} more rows`;
    return (
      <g className={`pt-row pt-fold-more${focused ? ' focused' : ''}`} {...common} data-fold={f.key} onClick={more}>
        <g className="pt-row-hit" role="button" tabIndex={0} aria-label={`${label} of the fold from ${hexVa(Number(f.key.slice(5)))}`} onKeyDown={activate(more)}>
          <rect className="pt-row-bg" x={x} y={0} width={w} height={r.h} />
          <text className="pt-fold-what" x={x + 4} y={cols.rowPad + 13}>
            <tspan className="pt-fold-mark">⋯ </tspan>
            {label}
          </text>
        </g>
      </g>
    );
  }
  const opened = f.shown > 0;
  const toggle = () => onShow(opened ? 0 : FOLD_WINDOW);
  const top = Math.max(0, Math.round(((r.h - 2 * ROW_H) / 2) * 10) / 10);
  return (
    <g className={`pt-row pt-fold${opened ? ' open' : ''}${r.entry ? '' : ' absent'}${focused ? ' focused' : ''}`} {...common} data-fold={f.key} data-present={r.entry ? 'true' : 'false'} onClick={toggle}>
      <g className="pt-row-hit" role="button" tabIndex={0} aria-expanded={opened} aria-label={foldName(r)} onKeyDown={activate(toggle)}>
        <rect className="pt-row-bg" x={x} y={0} width={w} height={r.h} />
        {/* A stack of cards: the rows folded under this one. */}
        <rect className="pt-fold-card under" x={x + 4} y={top + 4} width={w - 6} height={2 * ROW_H - 6} rx={3} />
        <rect className="pt-fold-card" x={x + 1} y={top + 2} width={w - 6} height={2 * ROW_H - 6} rx={3} />
        <text className="pt-fold-range" x={x + 6} y={top + 14}>
          <tspan className="pt-fold-mark">{opened ? '▾' : '▸'} </tspan>
          PTEs {hexVa(r.va)}–{hexVa(f.lastVa)}
        </text>
        <text className="pt-fold-what" x={x + 6} y={top + ROW_H + 12}>
          <tspan className="pt-fold-pages">{formatPages(f.pages)}</tspan> · {f.what}
        </text>
      </g>
    </g>
  );
}

function Bits({ bits, cols, top, zero }: { bits: ReturnType<typeof entryBits>; cols: Columns; top: number; zero: boolean }) {
  return (
    <g className="pt-bits">
      {BITS.map((b) => (
        <g key={b} className={`pt-bit bit-${b}${bits[b] ? ' on' : ' off'}${b === 'S' && bits[b] && zero ? ' zero' : ''}`} data-bit={b} data-on={bits[b] ? 'true' : 'false'}>
          <rect x={cols.bits.band(b)} y={top + 3} width={cols.bits.cellOf(b)} height={ROW_H - 6} rx={2} />
          <text x={cols.bits.band(b) + cols.bits.cellOf(b) / 2} y={top + 12.5} textAnchor="middle">
            {bitText(b, bits[b])}
          </text>{' '}
        </g>
      ))}
    </g>
  );
}

function FolioLabel({ r, entry, folio, x, y, maxW, charW, onSelect }: { r: PtRow; entry: PteView; folio: FolioRef; x: number; y: number; maxW: number; charW: number; onSelect?: (id: number) => void }) {
  const select = () => onSelect?.(entry.folio);
  const text = rowFolioText(r, folio);
  const prefix = r.count > 1 ? `×${r.count} → ` : '';
  const name = text.slice(prefix.length);
  return (
    <g
      className={`pt-folio kind-${folio.kind}`}
      role="button"
      tabIndex={0}
      aria-label={`${text} (select this ${KIND_LABEL[folio.kind]})`}
      data-folio={entry.folio}
      onClick={(e) => {
        e.stopPropagation();
        select();
      }}
      onKeyDown={(e) => {
        e.stopPropagation();
        activate(select)(e);
      }}
    >
      <rect x={x} y={y + 2} width={Math.min(maxW, 10 + text.length * charW)} height={ROW_H - 4} rx={7} className="pt-folio-bg" style={{ stroke: KIND_COLOR[folio.kind] }} />
      <text x={x + 6} y={y + 13}>
        {prefix && <tspan className="pt-run-count">{prefix}</tspan>}
        <tspan className="pt-folio-name" style={{ fill: KIND_COLOR[folio.kind] }}>
          {name}
        </tspan>
      </text>
    </g>
  );
}

function Span({ span: s, cols, onPath, leafFolio }: { span: IndexSpan; cols: Columns; onPath: boolean; leafFolio: FolioRef | undefined }) {
  const c = cols.level[s.level];
  const cls = `pt-span lvl-${s.level}${s.present ? ' present' : ' none'}${s.leaf ? ' leaf' : ''}${onPath ? ' on-path' : ''}`;
  let leaf: ReactNode = null;
  if (s.leaf) {
    const pte = cols.level.pte;
    const w = pte.x + pte.w - c.x;
    leaf = (
      <g className={`pt-leaf${leafFolio ? ` kind-${leafFolio.kind}` : ''}`}>
        <rect x={c.x} y={cols.rowPad + 2} width={w} height={ROW_H - 4} rx={3} style={leafFolio ? { fill: KIND_COLOR[leafFolio.kind] } : undefined} />
        <text x={c.x + c.w / 2} y={cols.rowPad + 13} textAnchor="middle">
          {s.index}
        </text>
        <text x={pte.x + pte.w / 2} y={cols.rowPad + 13} textAnchor="middle" className="pt-leaf-size">
          2 MiB
        </text>
      </g>
    );
  }
  return (
    <g className={cls} data-tw={`span:${s.key}`} data-tw-transform={`translate(0,${s.y})`} transform={`translate(0,${s.y})`} data-level={s.level} data-index={s.index}>
      <rect x={c.x} y={1} width={c.w} height={s.h - 2} rx={3} data-tw={`spanh:${s.key}`} data-tw-height={s.h - 2} />
      {!s.leaf && (
        <text x={c.x + c.w / 2} y={cols.rowPad + 13} textAnchor="middle">
          {s.index}
        </text>
      )}
      {leaf}
      <title>{`${LEVEL_NAMES[s.level]} index ${s.index} (0x${s.index.toString(16)})${s.leaf ? ': a 2 MiB leaf' : s.present ? '' : ': entry empty'}`}</title>
    </g>
  );
}
