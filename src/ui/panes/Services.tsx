// The selected allocation's service registrations (Nomad's own service provider, 1.3+).
import React, { useMemo } from 'react';
import type { ServiceRegistration } from '../../nomad/types.js';
import { servicesQuery } from '../../store/queries.js';
import { useServices } from '../context.js';
import { fit, sanitize, show } from '../format.js';
import { useWatch } from '../hooks/useWatch.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';
import { describeWatch } from './Detail.js';

export interface ServicesProps {
  allocId: string | undefined;
  namespace: string | undefined;
  width: number;
  height: number;
  focused: boolean;
}

export function serviceLine(service: ServiceRegistration, width: number): string {
  const address = `${show(service.Address)}:${typeof service.Port === 'number' ? service.Port : '–'}`;
  const tags = Array.isArray(service.Tags) && service.Tags.length ? `[${service.Tags.map(sanitize).join(',')}]` : '';
  const nameWidth = Math.max(12, Math.min(30, Math.floor(width * 0.4)));
  return `${fit(show(service.ServiceName), nameWidth)} ${fit(address, 22)} ${tags}`;
}

export function Services({ allocId, namespace, width, height, focused }: ServicesProps): React.JSX.Element {
  const { client, theme } = useServices();
  const query = useMemo(() => (allocId && namespace ? servicesQuery(client, allocId, namespace) : undefined), [client, allocId, namespace]);
  const state = useWatch<ServiceRegistration[]>(query);
  const inner = width - 2;
  const room = Math.max(0, height - 3);
  let body: React.JSX.Element[];
  const notFound = state.status === 'gone' ? String((state.error as { body?: string } | undefined)?.body ?? '') : '';
  if (!allocId) body = [<Line key="none" width={inner} dim text="no allocation selected" />];
  else if (notFound === 'resource not found') body = [<Line key="old" width={inner} dim text="not available on this Nomad version (services need Nomad 1.3+)" />];
  else if (describeWatch(state, 'services') && state.data === undefined) body = [<Line key="state" width={inner} dim text={describeWatch(state, 'services') ?? ''} />];
  else if (!state.data?.length) body = [<Line key="empty" width={inner} dim text="no services registered" />];
  else body = state.data.slice(0, room).map((service, i) => <Line key={service.ID ?? i} width={inner} text={serviceLine(service, inner)} />);
  return (
    <Pane width={width} height={height} focused={focused}>
      <Line width={inner} bold color={theme.accent} text={paneTitle(`SERVICES${state.data?.length ? ` (${state.data.length})` : ''}`, focused)} />
      {body}
    </Pane>
  );
}
