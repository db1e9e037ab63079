// The allocation list: windowed (only the rows that fit are rendered, so 50,000 allocations
// scroll like 50), one memoised line per row, the selection kept in view.
import React, { memo, useMemo, useRef } from 'react';
import { Box, Text } from 'ink';
import type { AllocListStub } from '../../nomad/types.js';
import type { LoadProgress } from '../../store/types.js';
import { fit, formatAge, plural } from '../format.js';
import { cells, columnsFor, type Column, type SortOrder } from '../listModel.js';
import { statusColour, type Theme } from '../theme.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';
import { useServices } from '../context.js';

export interface AllocationListProps {
  rows: readonly AllocListStub[];
  total: number;
  /** The list's first read, still coming in page by page. */
  loading?: LoadProgress;
  /** A new sort or filter is being worked out: the rows are the last ones meanwhile. */
  sorting?: boolean;
  selected: number;
  width: number;
  height: number;
  focused: boolean;
  sort: SortOrder;
  textFilter: string;
  serverFilter: string;
  /** The jobs view's namespace/job/group the list is narrowed to ('' for none). */
  jobFilter?: string;
  allNamespaces: boolean;
  /** Shown instead of rows when there are none (loading, error, empty). */
  emptyText: string;
  now: number;
  /** The longest name shown so far (visibleRows names, listModel.longestName): NAME is never cut below it while
   * another column can give way. */
  nameLength: number;
  /** Marked allocation IDs: with any, every row gets a mark column. */
  marks?: ReadonlySet<string>;
}

/** The mark column's width ("✓ "), there while any allocation is marked. */
const MARK_GUTTER = 2;

/** The list's columns at this inner width, less the mark column while marking. */
export function listColumns(inner: number, nameLength: number, marking: boolean): Column[] {
  return columnsFor(inner - (marking ? MARK_GUTTER : 0), nameLength);
}

/** Rows that fit in a list pane of `height`: borders, title and header take four lines. */
export function listPageSize(height: number): number {
  return Math.max(1, height - 4);
}

interface RowProps {
  alloc: AllocListStub;
  columns: Column[];
  selected: boolean;
  allNamespaces: boolean;
  theme: Theme;
  /** undefined: no mark column; else whether this row is marked. */
  marked: boolean | undefined;
  /** The age and changed columns' texts, computed by the parent: the row re-renders only when
   * they change. */
  age: string;
  changed: string;
}

function healthColour(theme: Theme, mark: string): string | undefined {
  return mark === '✖' ? theme.danger : mark === '✓' ? theme.ok : mark === '↻' || mark === '…' ? theme.warning : undefined;
}

/** A row is one text with a few coloured spans (status, health): Ink measures and
 * draws every text node on every frame, so fewer, plainer nodes make each frame cheaper. */
const Row = memo(function Row({ alloc, columns, selected, allNamespaces, theme, marked, age, changed }: RowProps): React.JSX.Element {
  const text = { ...cells(alloc, 0, allNamespaces), age, changed };
  const parts: { text: string; color?: string }[] = marked === undefined ? [] : [{ text: marked ? '✓ ' : '  ' }];
  for (const [i, column] of columns.entries()) {
    const cell = fit(text[column.key], column.width) + (i < columns.length - 1 ? ' ' : '');
    const color = selected ? undefined : column.key === 'status' ? statusColour(theme, alloc.ClientStatus) : column.key === 'health' ? healthColour(theme, text.health) : undefined;
    const last = parts.at(-1);
    if (last && last.color === color) last.text += cell;
    else parts.push({ text: cell, color });
  }
  if (!selected) {
    const last = parts.at(-1);
    if (last) last.text = last.text.trimEnd();
  }
  return (
    <Text wrap="truncate" inverse={selected}>
      {parts.map((part, i) => (part.color ? <Text key={i} color={part.color}>{part.text}</Text> : part.text))}
    </Text>
  );
});

/** "loading 35,000 / ~200,000" (how many are shown first when a filter hides some): Nomad gives
 * no count, so the total is the feed's estimate from how far the pages have come. */
function loadingText(shown: number, loaded: number, progress: LoadProgress): string {
  const of = progress.estimate ? ` / ~${progress.estimate.toLocaleString('en-US')}` : '…';
  return `${shown === loaded ? '' : `${shown.toLocaleString('en-US')} shown · `}loading ${loaded.toLocaleString('en-US')}${of}`;
}

export function AllocationList(props: AllocationListProps): React.JSX.Element {
  const { rows, total, loading, sorting, selected, width, height, focused, sort, textFilter, serverFilter, jobFilter, allNamespaces, emptyText, now, nameLength, marks } = props;
  const marking = (marks?.size ?? 0) > 0;
  const { theme } = useServices();
  const inner = width - 2;
  const page = listPageSize(height);
  const top = useRef(0);
  // Keep the selection in view, moving the window as little as possible.
  if (selected < top.current) top.current = Math.max(0, selected);
  if (selected >= top.current + page) top.current = selected - page + 1;
  top.current = Math.max(0, Math.min(top.current, Math.max(0, rows.length - page)));
  const visible = rows.slice(top.current, top.current + page);
  // The same array while the width holds: a new one each render would re-render every row.
  const columns = useMemo(() => listColumns(inner, nameLength, marking), [inner, nameLength, marking]);
  const filters = [jobFilter && `job ${jobFilter} (Esc clears)`, textFilter && `/${textFilter}`, serverFilter && `expr: ${serverFilter}`, sorting && 'sorting…'].filter(Boolean).join(' · ');
  const count = loading ? loadingText(rows.length, total, loading) : rows.length === total ? plural(total, 'allocation') : `${rows.length.toLocaleString('en-US')} of ${plural(total, 'allocation')}`;
  const arrow = sort.descending ? '↓' : '↑';
  const header = (marking ? ' '.repeat(MARK_GUTTER) : '') + columns.map((c) => fit(c.key === sort.column ? `${c.title}${arrow}` : c.title, c.width)).join(' ');
  return (
    <Pane width={width} height={height} focused={focused}>
      <Line width={inner} bold text={paneTitle(`ALLOCATIONS (${count}${filters ? ` · ${filters}` : ''})`, focused)} color={theme.accent} />
      <Line width={inner} dim text={header} />
      {visible.length === 0 ? (
        <Line width={inner} dim text={emptyText} />
      ) : (
        <Box flexDirection="column">
          {visible.map((alloc, i) => (
            <Row key={alloc.ID ?? i} alloc={alloc} columns={columns} selected={top.current + i === selected} allNamespaces={allNamespaces} theme={theme} marked={marking ? marks?.has(alloc.ID ?? '') === true : undefined} age={formatAge(alloc.CreateTime, now)} changed={formatAge(alloc.ModifyTime ?? alloc.CreateTime, now)} />
          ))}
        </Box>
      )}
    </Pane>
  );
}
