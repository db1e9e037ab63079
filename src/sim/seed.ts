// Builds a simulated cluster's fixed parts from a seed: namespaces, nodes and jobs whose group
// counts add up to the number of allocations asked for.
import type { Job } from '../nomad/types.js';
import type { Prng } from './prng.js';
import type { SimGroup, SimJob, SimNamespace, SimNode, SimTask } from './model.js';

export const NAMESPACES: readonly SimNamespace[] = [
  { Name: 'default', Description: 'Default shared namespace' },
  { Name: 'platform', Description: 'Shared platform services' },
  { Name: 'analytics', Description: 'Batch and data jobs' },
];

const JOB_NAMES = ['web', 'api', 'cache', 'worker', 'ingest', 'billing', 'search', 'auth', 'gateway', 'metrics', 'mailer', 'reports', 'thumbnails', 'ledger', 'notify', 'scheduler'];
const GROUP_NAMES = ['app', 'api', 'cache', 'proxy', 'worker', 'db'];
const KILL_TIMEOUT_MS = 5_000;
const TASKS: readonly SimTask[] = [
  { name: 'server', resources: { cpuMhz: 500, memoryMb: 256, memoryMaxMb: 0 }, image: 'ghcr.io/acme/server:1.42', driver: 'docker', exitMs: 400, killTimeoutMs: KILL_TIMEOUT_MS, service: { name: 'server', portLabel: 'http', tags: ['http', 'v1'] } },
  { name: 'redis', resources: { cpuMhz: 250, memoryMb: 512, memoryMaxMb: 1024 }, image: 'redis:7', driver: 'docker', exitMs: 300, killTimeoutMs: KILL_TIMEOUT_MS, service: { name: 'redis', portLabel: 'db', tags: ['db', 'cache'] } },
  { name: 'nginx', resources: { cpuMhz: 200, memoryMb: 128, memoryMaxMb: 0 }, image: 'nginx:1.27', driver: 'docker', exitMs: 200, killTimeoutMs: KILL_TIMEOUT_MS, service: { name: 'nginx', portLabel: 'http', tags: ['http', 'edge'] } },
  // Envoy drains its listeners until the kill timeout ends it.
  { name: 'envoy', resources: { cpuMhz: 300, memoryMb: 256, memoryMaxMb: 0 }, image: 'envoyproxy/envoy:v1.31', driver: 'docker', exitMs: KILL_TIMEOUT_MS, killTimeoutMs: KILL_TIMEOUT_MS, service: { name: 'envoy', portLabel: 'admin', tags: ['mesh'] } },
  { name: 'app', resources: { cpuMhz: 1000, memoryMb: 1024, memoryMaxMb: 2048 }, image: 'ghcr.io/acme/app:2026.11', driver: 'docker', exitMs: 600, killTimeoutMs: KILL_TIMEOUT_MS, service: { name: 'app', portLabel: 'http', tags: ['http', 'canary'] } },
  { name: 'log-shipper', resources: { cpuMhz: 100, memoryMb: 64, memoryMaxMb: 0 }, image: 'fluent/fluent-bit:3.1', driver: 'exec', exitMs: 200, killTimeoutMs: KILL_TIMEOUT_MS },
];
const BATCH_TASKS: readonly SimTask[] = [
  { name: 'etl', resources: { cpuMhz: 1000, memoryMb: 512, memoryMaxMb: 0 }, image: 'ghcr.io/acme/etl:7', driver: 'raw_exec', exitMs: 300, killTimeoutMs: KILL_TIMEOUT_MS },
  { name: 'report', resources: { cpuMhz: 2000, memoryMb: 2048, memoryMaxMb: 0 }, image: 'ghcr.io/acme/report:3', driver: 'java', exitMs: 1_500, killTimeoutMs: KILL_TIMEOUT_MS },
];

export function makeNodes(prng: Prng, allocCount: number): SimNode[] {
  const count = Math.min(500, Math.max(3, Math.ceil(allocCount / 40)));
  const nodes: SimNode[] = [];
  for (let i = 0; i < count; i++) {
    const address = `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
    nodes.push({ id: prng.uuid(), name: `ip-${address.replaceAll('.', '-')}`, datacenter: i % 3 === 2 ? 'dc2' : 'dc1', address });
  }
  return nodes;
}

/** Jobs whose group counts sum to exactly allocCount. */
export function makeJobs(prng: Prng, allocCount: number, region: string): SimJob[] {
  const jobs: SimJob[] = [];
  let remaining = allocCount;
  for (let n = 0; remaining > 0; n++) {
    const base = JOB_NAMES[n % JOB_NAMES.length] ?? 'job';
    const id = n < JOB_NAMES.length ? base : `${base}-${Math.floor(n / JOB_NAMES.length)}`;
    const batch = n % 7 === 6;
    const namespace = batch ? 'analytics' : n % 5 === 4 ? 'platform' : 'default';
    const groupCount = batch ? 1 : prng.int(1, 2);
    const groups: SimGroup[] = [];
    for (let g = 0; g < groupCount && remaining > 0; g++) {
      const wanted = batch ? prng.int(1, 6) : prng.int(1, Math.max(2, Math.min(60, Math.ceil(allocCount / 20))));
      const count = Math.min(remaining, wanted);
      remaining -= count;
      const tasks = batch ? [prng.pick(BATCH_TASKS)] : pickTasks(prng);
      groups.push({ name: GROUP_NAMES[(n + g) % GROUP_NAMES.length] ?? 'group', count, tasks, restartAttempts: 2 });
    }
    const type = batch ? 'batch' : 'service';
    jobs.push({ id, namespace, type, groups, wire: wireJob(id, namespace, type, groups, region) });
  }
  return jobs;
}

/** One service job of `count` allocations in `namespace` (a job added while the cluster runs). */
export function serviceJob(prng: Prng, id: string, namespace: string, count: number, region: string): SimJob {
  const groups: SimGroup[] = [{ name: 'app', count, tasks: pickTasks(prng), restartAttempts: 2 }];
  return { id, namespace, type: 'service', groups, wire: wireJob(id, namespace, 'service', groups, region) };
}

function pickTasks(prng: Prng): SimTask[] {
  const main = prng.pick(TASKS.slice(0, 5));
  return prng.chance(0.3) ? [main, TASKS[5] as SimTask] : [main];
}

/** A Job as embedded in a full Allocation: keys in Nomad's alphabetical order. */
function wireJob(id: string, namespace: string, type: string, groups: SimGroup[], region: string): Job {
  return {
    AllAtOnce: false,
    Datacenters: ['dc1', 'dc2'],
    ID: id,
    Meta: { owner: 'team-' + id.split('-')[0] },
    Name: id,
    Namespace: namespace,
    ParentID: '',
    Priority: 50,
    Region: region,
    Status: 'running',
    StatusDescription: '',
    Stop: false,
    TaskGroups: groups.map((group) => ({
      Count: group.count,
      Name: group.name,
      RestartPolicy: { Attempts: group.restartAttempts, Delay: 15_000_000_000, Interval: 1_800_000_000_000, Mode: 'fail' },
      Tasks: group.tasks.map((task) => ({
        Config: task.driver === 'docker' ? { image: task.image } : task.driver === 'java' ? { jar_path: `local/${task.name}.jar` } : { command: `local/${task.name}` },
        Driver: task.driver,
        KillTimeout: task.killTimeoutMs * 1_000_000,
        Name: task.name,
        Resources: { CPU: task.resources.cpuMhz, MemoryMB: task.resources.memoryMb, MemoryMaxMB: task.resources.memoryMaxMb },
        Services: task.service
          ? [{ Name: task.service.name, PortLabel: task.service.portLabel, Provider: 'nomad', Tags: task.service.tags }]
          : null,
      })),
    })),
    Type: type,
    Version: 0,
  };
}
