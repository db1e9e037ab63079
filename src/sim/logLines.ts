// What the simulator's tasks print: seeded and reproducible per allocation, task and stream.
// Start-up banners, request lines, warnings, some ANSI colour (as real services print), now and
// then a very long line or a few bytes of invalid UTF-8, and a stack trace before a failure.
// Timestamps are the task's own, as an application writes them; the console never adds any.
import { Prng } from './prng.js';

export type LogType = 'stdout' | 'stderr';

const PATHS = ['/api/v1/items', '/api/v1/orders', '/healthz', '/metrics', '/api/v1/users/me', '/static/app.js', '/api/v1/search'];
const STATUSES = [200, 200, 200, 200, 201, 204, 304, 404, 500];
const WARNINGS = ['cache miss ratio above 0.4', 'slow query on orders (812 ms)', 'retrying upstream connect', 'deprecated flag --legacy-auth in use', 'queue depth 1200, above soft limit'];

function stamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** A seed for one allocation's task stream, from its ID (hex) and names. */
export function logSeed(allocId: string, task: string, type: LogType): number {
  let hash = parseInt(allocId.slice(0, 8), 16) >>> 0;
  for (const c of `${task}/${type}`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

/** Lines a task prints as it starts. */
export function bannerLines(task: string, image: string, type: LogType, atMs: number): string[] {
  if (type === 'stderr') return [`${stamp(atMs)} [${task}] starting with image ${image}`];
  return [
    `${stamp(atMs)} \x1b[1m${task}\x1b[0m starting (image ${image})`,
    `${stamp(atMs)} \x1b[32mINFO\x1b[0m  config loaded from /local/config.yaml`,
    `${stamp(atMs)} \x1b[32mINFO\x1b[0m  listening on 0.0.0.0:8080`,
  ];
}

/** The next line of a running task's stream, as bytes (it may hold invalid UTF-8). */
export function nextLine(prng: Prng, type: LogType, atMs: number): Buffer {
  const roll = prng.next();
  if (type === 'stderr') {
    if (roll < 0.02) return Buffer.concat([Buffer.from(`${stamp(atMs)} WARN  undecodable payload: `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' (dropped)\n')]);
    return Buffer.from(`${stamp(atMs)} \x1b[33mWARN\x1b[0m  ${prng.pick(WARNINGS)}\n`);
  }
  if (roll < 0.01) {
    // A very long line: a JSON document logged whole.
    const items = Array.from({ length: prng.int(40, 120) }, (_, i) => `{"id":${i},"sku":"SKU-${prng.int(1000, 9999)}","qty":${prng.int(1, 9)}}`);
    return Buffer.from(`${stamp(atMs)} DEBUG order payload {"items":[${items.join(',')}]}\n`);
  }
  const status = prng.pick(STATUSES);
  const colour = status >= 500 ? '\x1b[31m' : status >= 400 ? '\x1b[33m' : '';
  const line = `10.0.${prng.int(0, 9)}.${prng.int(2, 250)} - - [${stamp(atMs)}] "GET ${prng.pick(PATHS)}/${prng.int(1, 9999)} HTTP/1.1" ${colour}${status}${colour ? '\x1b[0m' : ''} ${prng.int(120, 9000)} ${(prng.int(1, 900) / 1000).toFixed(3)}`;
  return Buffer.from(`${line}\n`);
}

/** What a task prints to stderr as it fails. */
export function failureLines(task: string, atMs: number, exitCode: number): string[] {
  return [
    `${stamp(atMs)} \x1b[31mERROR\x1b[0m unrecoverable: connection pool exhausted`,
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a2b1c]',
    '',
    'goroutine 1 [running]:',
    `main.(*server).handle(0xc000124000, {0x7f3e2c, 0xc0001a2000})`,
    `\t/src/${task}/server.go:142 +0x1c`,
    `main.main()`,
    `\t/src/${task}/main.go:61 +0x2f5`,
    `exit status ${exitCode}`,
  ];
}
