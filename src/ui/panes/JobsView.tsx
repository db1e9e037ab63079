// The jobs view (J): one row per namespace/job/group of the list the console holds, with its
// allocations counted by client status and how many Nomad wants running.
import React from 'react';
import type { AllocListStub } from '../../nomad/types.js';
import { useServices } from '../context.js';
import { fit, plural } from '../format.js';
import { jobRows, type JobRow } from '../jobsModel.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';

export interface JobsViewProps {
  list: readonly AllocListStub[];
  cursor: number;
  width: number;
  height: number;
}

const COUNTS: readonly [keyof JobRow, string][] = [['wanted', 'WANT'], ['running', 'RUN'], ['pending', 'PEND'], ['failed', 'FAIL'], ['lost', 'LOST'], ['complete', 'DONE'], ['other', 'OTHER']];

/** Rows of the pane the jobs get (borders, title and header take four). */
export function jobsPage(height: number): number {
  return Math.max(1, height - 4);
}

export function JobsView({ list, cursor, width, height }: JobsViewProps): React.JSX.Element {
  const { theme } = useServices();
  const inner = width - 2;
  const rows = jobRows(list);
  const page = jobsPage(height);
  const top = Math.max(0, Math.min(cursor - Math.floor(page / 2), rows.length - page));
  const counts = COUNTS.length * 6;
  const nameWidth = Math.max(10, inner - counts);
  const line = (name: string, values: readonly string[]): string => fit(name, nameWidth) + values.map((v) => v.padStart(6)).join('');
  return (
    <Pane width={width} height={height} focused>
      <Line width={inner} bold color={theme.accent} text={paneTitle(`JOBS (${plural(rows.length, 'job group')} · ${plural(list.length, 'allocation')})`, true)} />
      <Line width={inner} dim text={line('NAMESPACE/JOB/GROUP', COUNTS.map(([, title]) => title))} />
      {rows.length === 0 ? <Line width={inner} dim text="no allocations" /> : null}
      {rows.slice(top, top + page).map((row, i) => {
        const selected = top + i === cursor;
        const colour = row.failed + row.lost > 0 ? theme.danger : row.pending > 0 ? theme.warning : undefined;
        return <Line key={row.key} width={inner} inverse={selected} color={selected ? undefined : colour} text={line(row.key, COUNTS.map(([field]) => String(row[field] || '·')))} />;
      })}
    </Pane>
  );
}
