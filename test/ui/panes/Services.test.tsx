// The services pane: registrations, none, an agent older than 1.3, and denied.
import assert from 'node:assert/strict';
import React from 'react';
import { describe, it } from 'node:test';
import { Services } from '../../../src/ui/panes/Services.js';
import { fakeAgent } from '../../helpers/fakeAgent.js';
import { frameMatching, renderWithServices } from '../../helpers/render.js';
import { startSim } from '../../helpers/sim.js';

const props = { width: 90, height: 8, focused: false };

describe('Services pane', () => {
  it('lists name, address:port and tags', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => sim.sim.cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    assert.ok(target);
    const service = sim.sim.cluster.servicesByAlloc.get(target.alloc.ID ?? '')?.[0];
    const view = renderWithServices(<Services allocId={target.alloc.ID} namespace={target.alloc.Namespace ?? 'default'} {...props} />, { address: sim.url });
    const frame = await frameMatching(view, /SERVICES \(\d\)/);
    assert.match(frame, new RegExp(`${service?.ServiceName}\\s+${service?.Address?.replaceAll('.', '\\.')}:${service?.Port}\\s+\\[${service?.Tags?.join(',')}\\]`));
  });

  it('says "no services registered" for an allocation without any', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => !sim.sim.cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    const view = renderWithServices(<Services allocId={target?.alloc.ID} namespace={target?.alloc.Namespace ?? 'default'} {...props} />, { address: sim.url });
    await frameMatching(view, /no services registered/);
  });

  it('says "not available on this Nomad version" when an agent older than 1.3 answers 404', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const address = await fakeAgent({ [`/v1/allocation/${id}/services`]: { status: 404, body: 'resource not found' } });
    const view = renderWithServices(<Services allocId={id} namespace="default" {...props} />, { address });
    await frameMatching(view, /not available on this Nomad version/);
  });

  it('says permission denied', async () => {
    const sim = await startSim({ acl: true });
    const target = sim.sim.cluster.ordered[0];
    const view = renderWithServices(<Services allocId={target?.alloc.ID} namespace={target?.alloc.Namespace ?? 'default'} {...props} />, { address: sim.url });
    await frameMatching(view, /permission denied: check NOMAD_TOKEN/);
  });
});
