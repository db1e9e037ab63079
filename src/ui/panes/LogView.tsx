// The log view (l): a task's stdout or stderr full screen. The title names the allocation,
// task and stream; the line under it says what the view is doing (following, paused with how
// many new lines wait, waiting for the task, reconnecting, ended) and what the task is doing
// (dead, restarted), and the search's matches. Rows come from logs/logRows.ts.
import React from 'react';
import { Box, Text } from 'ink';
import type { TaskState } from '../../nomad/types.js';
import { plainLogText } from '../../store/logText.js';
import type { LogSnapshot } from '../../store/logFeed.js';
import { useServices } from '../context.js';
import { plural, sanitize } from '../format.js';
import { Line } from '../Line.js';
import { logRows, matchCount } from '../logs/logRows.js';
import type { LogContext, LogState } from '../logs/logState.js';
import { Pane, paneTitle } from '../Pane.js';

/** Rows of text the view shows (the title and the state line take two). No borders: a new
 * line then costs the terminal its own bytes, not a padded row between two frame edges. */
export function logPage(height: number): number {
  return Math.max(1, height - 2);
}

export interface LogViewProps {
  logs: LogState;
  snapshot: LogSnapshot | undefined;
  width: number;
  height: number;
  /** The task's state, from the allocation's watch. */
  task: TaskState | undefined;
  /** The task picker (several tasks, none chosen yet). */
  picker?: { tasks: readonly string[]; cursor: number };
}

/** What the task is doing, when it matters to its output. */
function taskNote(task: TaskState | undefined): string {
  if (!task) return '';
  if (task.State === 'dead') return `task dead${task.Failed ? ' (failed)' : ''}: no more output expected`;
  if (task.State === 'pending' && (task.Restarts ?? 0) > 0) return `task restarting (${task.Restarts} restarts): its new output follows here`;
  return '';
}

export function logContext(snapshot: LogSnapshot | undefined, height: number): LogContext {
  return { lines: snapshot?.lines ?? [], base: snapshot?.base ?? 0, page: logPage(height), appended: snapshot?.appended ?? 0 };
}

export function LogView({ logs, snapshot, width, height, task, picker }: LogViewProps): React.JSX.Element {
  const { theme } = useServices();
  const inner = width - 2;
  const page = logPage(height);
  const full = width;
  const title = paneTitle(`LOGS  ${logs.name || logs.allocId.slice(0, 8)} · ${sanitize(logs.task)} · ${logs.type}`, true);
  if (picker) {
    return (
      <Pane width={width} height={height} focused>
        <Line width={inner} bold color={theme.accent} text={paneTitle(`LOGS  ${logs.name || logs.allocId.slice(0, 8)}: which task? (j/k, Enter, Esc)`, true)} />
        {picker.tasks.map((name, i) => (
          <Line key={name} width={inner} inverse={i === picker.cursor} text={`${i === picker.cursor ? '▸ ' : '  '}${sanitize(name)}`} />
        ))}
      </Pane>
    );
  }
  const ctx = logContext(snapshot, height);
  const { rows, first } = logRows(logs, ctx, full, page);
  const held = plural(ctx.lines.length, 'line');
  let state: string;
  if (!snapshot || snapshot.status === 'connecting') state = 'connecting…';
  else if (snapshot.status !== 'following') state = snapshot.message;
  // While following, nothing on this line changes with each new line (it would be redrawn).
  else if (logs.top === undefined) state = 'following (k or / to look back)';
  else state = `paused at line ${((first ?? 0) - ctx.base + 1).toLocaleString('en-US')} of ${held} · ${plural(Math.max(0, ctx.appended - logs.pausedAt), 'new line')} · G follows`;
  const older = snapshot?.loadingOlder ? 'loading older output…' : logs.top !== undefined && first === ctx.base && snapshot?.atStart ? snapshot.olderNote || 'the start of the log' : '';
  const search = logs.search ? `/${logs.search}: ${plural(matchCount(logs, ctx), 'matching line')}${logs.filter ? ' (only those shown)' : ''} · n/N` : '';
  const note = [state, older, taskNote(task), search].filter(Boolean).join(' · ');
  const tone = snapshot?.status === 'failed' ? theme.danger : snapshot?.status === 'reconnecting' || snapshot?.status === 'waiting' ? theme.warning : undefined;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line width={full} bold color={theme.accent} text={`${title}${logs.top === undefined ? '' : ` · ${held} held`}`} />
      <Line width={full} dim={!tone} color={tone} text={note} />
      {rows.length === 0 ? <Line width={full} dim text={snapshot?.status === 'following' ? 'no output yet' : ' '} /> : null}
      {rows.map((row, i) =>
        row.pieces ? (
          <Text key={i} wrap="truncate" bold={row.current}>
            {row.pieces.map((piece, p) => (p % 2 === 1 ? <Text key={p} inverse>{piece}</Text> : piece))}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">{theme.enabled ? row.text || ' ' : plainLogText(row.text) || ' '}</Text>
        ),
      )}
    </Box>
  );
}
