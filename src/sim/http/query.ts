// Query-string parsing as command/agent/http.go does it, in Nomad's order (region, token,
// stale, prefix, namespace, per_page + next_token, filter, reverse, wait + index); the first
// parse error wins, with Nomad's exact status and text.
import { SimHttpError } from '../simError.js';

export interface QueryOptions {
  region: string;
  stale: boolean;
  prefix: string;
  namespace: string;
  perPage: number;
  nextToken: string;
  filter: string;
  reverse: boolean;
  /** 0 when absent: no blocking. */
  index: number;
  /** ms; 0 when absent. */
  waitMs: number;
}

/** Go's strconv.ParseBool. */
export function parseGoBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in ms; undefined when Go would fail (a bare "10" has no unit). */
export function parseGoDuration(raw: string): number | undefined {
  if (raw === '0' || raw === '+0' || raw === '-0') return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(raw);
  if (!m) return undefined;
  let total = 0;
  for (const part of raw.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (UNIT_MS[part[2] as string] ?? 0);
  }
  return m[1] === '-' ? -total : total;
}

export function parseQuery(params: URLSearchParams, defaultRegion: string): QueryOptions {
  const region = params.get('region') || defaultRegion;

  let stale = false;
  if (params.has('stale')) {
    const raw = params.get('stale') ?? '';
    if (raw === '') stale = true;
    else {
      const parsed = parseGoBool(raw);
      if (parsed === undefined) throw new SimHttpError(400, 'Expect `true` or `false` for `stale` query string parameter');
      stale = parsed;
    }
  }

  const prefix = params.get('prefix') ?? '';
  const namespace = params.get('namespace') || 'default';

  let perPage = 0;
  const perPageRaw = params.get('per_page');
  if (perPageRaw !== null && perPageRaw !== '') {
    if (!/^[-+]?\d+$/.test(perPageRaw)) throw new SimHttpError(400, 'Expect a number for `per_page` query string parameter');
    perPage = Number(perPageRaw);
  }
  const nextToken = params.get('next_token') ?? '';
  const filter = params.get('filter') ?? '';
  const reverse = params.get('reverse') === 'true';

  let waitMs = 0;
  const waitRaw = params.get('wait');
  if (waitRaw !== null && waitRaw !== '') {
    const parsed = parseGoDuration(waitRaw);
    if (parsed === undefined) throw new SimHttpError(400, 'Invalid wait time');
    waitMs = parsed;
  }
  let index = 0;
  const indexRaw = params.get('index');
  if (indexRaw !== null && indexRaw !== '') {
    if (!/^\d+$/.test(indexRaw) || BigInt(indexRaw) > 18446744073709551615n) throw new SimHttpError(400, 'Invalid index');
    index = Number(indexRaw);
  }
  return { region, stale, prefix, namespace, perPage, nextToken, filter, reverse, index, waitMs };
}

/** task_states / resources / no_shutdown_delay: a bad bool is a 500 with strconv's text. */
export function boolParam(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const parsed = parseGoBool(raw);
  if (parsed === undefined) {
    throw new SimHttpError(500, `Failed to parse value of "${name}" (${raw}) as a bool: strconv.ParseBool: parsing "${raw}": invalid syntax`);
  }
  return parsed;
}
