// The selected allocation's service registrations (Nomad's own service provider, 1.3+) and
// their Nomad checks (1.4+), polled every 2 s while this pane shows a running allocation. With
// focus, a cursor moves over the rows (j/k), and the selected check's whole output is shown
// under them.
import React, { useMemo } from 'react';
import type { ServiceRegistration } from '../../nomad/types.js';
import type { CheckResult } from '../../store/allocChecks.js';
import { allocationChecksQuery, servicesQuery } from '../../store/queries.js';
import { useServices } from '../context.js';
import { sanitize, wrap } from '../format.js';
import { useWatch } from '../hooks/useWatch.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';
import { describeWatch } from './Detail.js';
import { checkLine, checksSummary, serviceLine, serviceRows } from './servicesView.js';

export interface ServicesProps {
  allocId: string | undefined;
  namespace: string | undefined;
  /** Whether the allocation runs: checks are read only then. */
  running: boolean;
  width: number;
  height: number;
  focused: boolean;
  cursor: number;
  now: number;
}

/** Lines kept under the rows for the selected check's output. */
const OUTPUT_LINES = 3;

export function Services({ allocId, namespace, running, width, height, focused, cursor, now }: ServicesProps): React.JSX.Element {
  const { client, theme } = useServices();
  const query = useMemo(() => (allocId && namespace ? servicesQuery(client, allocId, namespace) : undefined), [client, allocId, namespace]);
  const state = useWatch<ServiceRegistration[]>(query);
  const checks = useWatch<CheckResult[]>(useMemo(() => (allocId && running ? allocationChecksQuery(client, allocId) : undefined), [client, allocId, running]));
  const inner = width - 2;
  const room = Math.max(0, height - 3);
  const rows = serviceRows(state.data, running ? checks.data : undefined);
  const at = Math.min(Math.max(0, cursor), Math.max(0, rows.length - 1));
  const selected = focused ? rows[at] : undefined;
  const output = selected?.kind === 'check' ? wrap(`output: ${sanitize(selected.check.output) || '(none yet)'}`, inner).slice(0, OUTPUT_LINES) : [];
  let body: React.JSX.Element[];
  const notFound = state.status === 'gone' ? String((state.error as { body?: string } | undefined)?.body ?? '') : '';
  if (!allocId) body = [<Line key="none" width={inner} dim text="no allocation selected" />];
  else if (notFound === 'resource not found') body = [<Line key="old" width={inner} dim text="not available on this Nomad version (services need Nomad 1.3+)" />];
  else if (describeWatch(state, 'services') && state.data === undefined) body = [<Line key="state" width={inner} dim text={describeWatch(state, 'services') ?? ''} />];
  else if (!state.data?.length) body = [<Line key="empty" width={inner} dim text="no services registered" />];
  else {
    const page = Math.max(1, room - output.length - 1);
    const top = Math.min(Math.max(0, at - page + 1), Math.max(0, rows.length - page));
    body = rows.slice(top, top + page).map((row, i) => {
      const mark = focused && top + i === at ? '▸' : ' ';
      if (row.kind === 'service') return <Line key={`s-${row.service.ID ?? i}`} width={inner} text={`${mark}${serviceLine(row.service, inner - 1)}`} />;
      const colour = row.check.status === 'failure' ? theme.danger : row.check.status === 'success' ? theme.ok : undefined;
      return <Line key={`c-${row.check.id}`} width={inner} color={colour} text={`${mark}${checkLine(row.check, now)}`} />;
    });
    // Checks need Nomad 1.4+: an older agent has no such endpoint, said once here.
    const checksGone = checks.status === 'gone' && /resource not found|404/.test(String((checks.error as { body?: string } | undefined)?.body ?? checks.error?.message ?? ''));
    if (checksGone) body.push(<Line key="old-checks" width={inner} dim text="checks: not available on this Nomad version (Nomad 1.4+)" />);
    else if (running && checks.error && checks.data === undefined) body.push(<Line key="checks-error" width={inner} dim text={`checks unavailable: ${sanitize(checks.error.message)}`} />);
    output.forEach((line, i) => body.push(<Line key={`o-${i}`} width={inner} dim text={line} />));
  }
  return (
    <Pane width={width} height={height} focused={focused}>
      <Line width={inner} bold color={theme.accent} text={paneTitle(`SERVICES${state.data?.length ? ` (${state.data.length})` : ''}${running && checks.data?.length ? ` · ${checksSummary(checks.data)}` : ''}`, focused)} />
      {body}
    </Pane>
  );
}
