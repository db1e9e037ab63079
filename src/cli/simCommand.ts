// `alloctop sim`: runs the embedded Nomad simulator alone until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { parseFaultProfile, type FaultProfile } from '../sim/faults.js';
import { DEFAULT_LOG_LIMITS, type LogRate } from '../sim/logs.js';
import { HOSTILE_CASES, parseHostileCase } from '../sim/hostile.js';
import { startSimServer, type SimServerOptions } from '../sim/http/server.js';
import { nomadBehaviour } from '../sim/version.js';
import { intFlag, parseFlags, type FlagSpec } from './flags.js';
import { UsageError } from './usageError.js';

export const SIM_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  allocs: { type: 'string' },
  seed: { type: 'string' },
  acl: { type: 'boolean' },
  socket: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-client-ca': { type: 'string' },
  still: { type: 'boolean' },
  'no-event-stream': { type: 'boolean' },
  rate: { type: 'string' },
  'nomad-version': { type: 'string' },
  'gc-interval': { type: 'string' },
  faults: { type: 'string' },
  hostile: { type: 'string' },
  'log-rate': { type: 'string' },
  'log-file-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies FlagSpec;

export const SIM_HELP = `Usage: alloctop sim [flags]

Runs the embedded Nomad simulator: a seeded cluster that speaks the Nomad HTTP API.

Flags:
  --port N            TCP port on 127.0.0.1 (default 4646; 0 picks a free port)
  --host ADDR         address to listen on (default 127.0.0.1)
  --socket PATH       listen on a unix socket instead (reach it with unix://PATH)
  --allocs N          allocations in the cluster (default 200)
  --seed N            PRNG seed: the same seed gives the same cluster (default 1)
  --rate N            random changes per second (default allocs/200, at least 1)
  --still             no random changes (the cluster only changes when told to)
  --no-event-stream   answer /v1/event/stream with 404, as agents before Nomad 1.0 do
  --nomad-version V   behave as this Nomad release (1.6.0 … 2.0.5; default 2.0.5): 1.11.2+
                      refuse an event stream with a 200 and an empty close, 1.11.2 answers
                      it as HTTP/0.0, 1.9.6+ pin namespace=* streams to existing namespaces
  --gc-interval S     seconds between garbage-collection passes (default 5); each deletes
                      terminal allocations unchanged for 30 s, with no event, as Nomad does
  --faults PROFILE    inject faults: off (default), light, heavy, or kind=rate,... with kinds
                      reset-before, reset-mid, slow-headers, truncated (per request) and
                      no-leader, index-regression, restart (per second)
  --hostile CASE      play a broken or hostile agent (for testing a console against it):
${Object.entries(HOSTILE_CASES).map(([name, what]) => `                      ${name.padEnd(16)} ${what}`).join('\n')}
  --log-rate R        how fast each running task prints to stdout (stderr a tenth of it):
                      N lines a second (default 2), or NKB / NMB bytes a second
  --log-file-size S   rotate log files at S bytes (NKB, NMB; default 10MB, 10 files kept, as
                      Nomad's logs block)
  --acl               enable ACLs; prints a management token, a read-only one, and one for
                      the default namespace only (read and lifecycle there)
  --tls-cert FILE     serve HTTPS with this certificate (PEM)
  --tls-key FILE      ... and this key (PEM)
  --tls-client-ca FILE  require client certificates signed by this CA (mTLS)
`;

function readPem(path: string | boolean | undefined, flag: string): string | undefined {
  if (typeof path !== 'string') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function versionFlag(value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return nomadBehaviour(value).version;
  } catch (error) {
    throw new UsageError(`--nomad-version: ${(error as Error).message}`);
  }
}

/** "N" lines a second, or "NKB" / "NMB" bytes a second. */
export function parseLogRate(text: string): LogRate {
  const m = /^(\d+(?:\.\d+)?)(KB|MB)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--log-rate: "${text}" is not N (lines a second), NKB or NMB (bytes a second)`);
  const value = Number(m[1]);
  if (!m[2]) return { linesPerSecond: value };
  return { bytesPerSecond: value * (m[2].toUpperCase() === 'MB' ? 1024 * 1024 : 1024) };
}

/** "NKB" / "NMB" / "N" bytes. */
function parseSize(text: string, flag: string): number {
  const m = /^(\d+)(KB|MB)?$/i.exec(text.trim());
  const bytes = m ? Number(m[1]) * (m[2]?.toUpperCase() === 'MB' ? 1024 * 1024 : m[2] ? 1024 : 1) : NaN;
  if (!(bytes >= 1024)) throw new UsageError(`--${flag}: "${text}" is not a size of at least 1KB (N, NKB or NMB)`);
  return bytes;
}

export async function simCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, SIM_FLAGS, 'alloctop sim');
  if (values.help) {
    process.stdout.write(SIM_HELP);
    return 0;
  }
  const allocs = intFlag(values.allocs, 'allocs', 200, 0, 1_000_000);
  const cert = readPem(values['tls-cert'], 'tls-cert');
  const key = readPem(values['tls-key'], 'tls-key');
  if (Boolean(cert) !== Boolean(key)) throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  let faults: FaultProfile | undefined;
  try {
    faults = typeof values.faults === 'string' ? parseFaultProfile(values.faults) : undefined;
  } catch (error) {
    throw new UsageError(`--faults: ${(error as Error).message}`);
  }
  let hostile;
  try {
    hostile = typeof values.hostile === 'string' ? parseHostileCase(values.hostile) : undefined;
  } catch (error) {
    throw new UsageError(`--hostile: ${(error as Error).message}`);
  }
  const options: SimServerOptions = {
    faults,
    hostile,
    port: intFlag(values.port, 'port', 4646, 0, 65535),
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
    socketPath: typeof values.socket === 'string' ? values.socket : undefined,
    allocs,
    seed: intFlag(values.seed, 'seed', 1, 0, 2 ** 32 - 1),
    acl: values.acl === true,
    eventStream: values['no-event-stream'] !== true,
    nomadVersion: versionFlag(values['nomad-version']),
    gc: { intervalMs: intFlag(values['gc-interval'], 'gc-interval', 5, 1, 86_400) * 1000 },
    life: values.still ? false : { changesPerTick: intFlag(values.rate, 'rate', Math.max(1, Math.round(allocs / 200)), 0, 100_000) },
    logs: {
      rate: typeof values['log-rate'] === 'string' ? parseLogRate(values['log-rate']) : undefined,
      limits: typeof values['log-file-size'] === 'string' ? { ...DEFAULT_LOG_LIMITS, maxFileSize: parseSize(values['log-file-size'], 'log-file-size') } : undefined,
    },
    tls: cert && key ? { cert, key, clientCa: readPem(values['tls-client-ca'], 'tls-client-ca') } : undefined,
  };
  let server;
  try {
    server = await startSimServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is in use; pick another with --port, or --port 0 for a free one`);
    throw error;
  }
  process.stdout.write(`listening on ${server.url}\n`);
  if (server.acl) {
    // These are the simulator's own throwaway test tokens: printing them is the point.
    process.stdout.write(`management token: ${server.acl.tokens.management}\n`);
    process.stdout.write(`read-only token: ${server.acl.tokens.readOnly}\n`);
    process.stdout.write(`default-namespace token: ${server.acl.tokens.defaultOnly}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
