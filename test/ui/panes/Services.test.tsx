// The services pane: registrations and their Nomad checks, none, agents older than 1.3 / 1.4,
// denied, and the cursor showing a check's whole output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Services } from '../../../src/ui/panes/Services.js';
import { fakeAgent } from '../../helpers/fakeAgent.js';
import { frameMatching, renderWithServices } from '../../helpers/render.js';
import { startSim } from '../../helpers/sim.js';

const props = { width: 90, height: 8, focused: false, running: true, cursor: 0, now: Date.now() };

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

  it('shows each service\'s checks as the agent reports them; a failing one says so in the title and its row', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && sim.sim.cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    assert.ok(target);
    const answer = JSON.parse(await fetch(`${sim.url}/v1/allocation/${target.alloc.ID}/checks`).then((r) => r.text())) as Record<string, { Check: string; Status: string; Output: string }>;
    const first = Object.values(answer)[0];
    assert.ok(first);
    const view = renderWithServices(<Services {...props} height={12} allocId={target.alloc.ID} namespace={target.alloc.Namespace ?? 'default'} />, { address: sim.url });
    const mark = first.Status === 'success' ? '✓' : first.Status === 'failure' ? '✖' : '…';
    await frameMatching(view, new RegExp(`${mark} ${first.Check}( \\(readiness\\))? ${first.Status}`));
    // The task stops answering: within one refresh its checks fail.
    for (const state of Object.values(target.alloc.TaskStates)) state.State = 'pending';
    const failing = await frameMatching(view, /checks failing/, 10_000);
    assert.match(failing, new RegExp(`✖ ${first.Check}( \\(readiness\\))? failure \\d+s ago · (nomad: Get|dial tcp)`));
  });

  it('with focus, the cursor moves over services and checks, and a check\'s whole output is shown under them', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && sim.sim.cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    assert.ok(target);
    for (const state of Object.values(target.alloc.TaskStates)) state.State = 'pending';
    const view = renderWithServices(<Services {...props} width={60} height={12} focused cursor={1} allocId={target.alloc.ID} namespace={target.alloc.Namespace ?? 'default'} />, { address: sim.url });
    const frame = await frameMatching(view, /output: /);
    assert.match(frame, /▸ {2}✖/, 'the cursor is on the first check');
    assert.match(frame.replace(/[│\s]+/g, ' '), /output: (nomad: Get "http:\/\/[\d.:]+\/health": )?dial tcp [\d.:]+: connect: connection refused/, 'the output whole, wrapped');
  });

  it('an agent older than 1.4 has no checks endpoint: said once, services still listed', async () => {
    const id = '11111111-2222-3333-4444-555555555556';
    const address = await fakeAgent({
      [`/v1/allocation/${id}/services`]: { status: 200, body: JSON.stringify([{ ID: 's1', ServiceName: 'web', Address: '10.0.0.1', Port: 8080, Tags: [] }]), headers: { 'X-Nomad-Index': '5' } },
      [`/v1/allocation/${id}/checks`]: { status: 404, body: 'resource not found' },
    });
    const view = renderWithServices(<Services allocId={id} namespace="default" {...props} />, { address });
    await frameMatching(view, /web\s+10\.0\.0\.1:8080[\s\S]*checks: not available on this Nomad version \(Nomad 1\.4\+\)/);
  });

  it('reads no checks for an allocation that is not running', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => sim.sim.cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    assert.ok(target);
    const view = renderWithServices(<Services {...props} running={false} allocId={target.alloc.ID} namespace={target.alloc.Namespace ?? 'default'} />, { address: sim.url });
    await frameMatching(view, /SERVICES \(\d\)/);
    assert.equal(sim.counters.byPath.get(`/v1/allocation/${target.alloc.ID}/checks`) ?? 0, 0);
  });
});
