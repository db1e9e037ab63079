// Hostile agents (`alloctop sim --hostile CASE`): the simulator's answers made malformed in one
// way each, for the cases a real Nomad never produces but a broken proxy, a corrupted agent or
// an attacker's fake one can: null items, wrong types, 100 KB unicode texts, escapes and
// zero-width characters in every string, bodies that never end or trickle, a 50 MB event line,
// garbage on the stream, answers that ignore `index`, and nonsense X-Nomad-Index headers.
// The JSON cases are pure functions of the answer (this file); the transport cases are applied
// by the HTTP server (http/hostileTransport.ts).

export const HOSTILE_CASES = {
  'null-items': 'null items in every list and map',
  'wrong-types': 'a wrong-typed field in every object',
  'long-text': '100 KB unicode names, messages, errors',
  escapes: 'escapes, zero-width chars in strings',
  'endless-body': 'a list body that never ends',
  trickle: 'list/alloc bodies, 1 byte every 2 s',
  'huge-event-line': 'a 50 MB line on each event stream',
  'garbage-events': 'non-frame lines on the event stream',
  'non-blocking': 'blocking queries answered at once',
  'bad-index': 'X-Nomad-Index: garbage, 0, huge, backward',
} as const;

export type HostileCase = keyof typeof HOSTILE_CASES;

export function parseHostileCase(value: string): HostileCase {
  if (Object.hasOwn(HOSTILE_CASES, value)) return value as HostileCase;
  throw new Error(`unknown case "${value}"; one of ${Object.keys(HOSTILE_CASES).join(', ')}`);
}

/** Keys left alone by every JSON case: without them no row can be selected or acted on, which
 * tests nothing beyond "an empty list". (Their absence is the null-items case's business.) */
const KEEP = new Set(['ID', 'Namespace']);

/** Strings the long-text case grows: what the console shows as names and messages. */
const TEXT_KEYS = new Set(['Name', 'JobID', 'TaskGroup', 'NodeName', 'DisplayMessage', 'Message', 'DriverError', 'ClientDescription', 'DesiredDescription', 'ServiceName', 'Description', 'KillReason', 'RestartReason']);

export const LONG_TEXT_BYTES = 100 * 1024;

/** About LONG_TEXT_BYTES of text that defeats string-width's ASCII fast path. */
export function longText(prefix: string): string {
  const unit = ' → naïve café 日本 ';
  return `${prefix}${unit.repeat(Math.ceil(LONG_TEXT_BYTES / Buffer.byteLength(unit)))}`;
}

/** Everything a terminal might act on or mis-measure: CSI and OSC sequences, BEL, backspace,
 * CR/LF, bidi overrides, zero-width and format characters, Hangul fillers, ZWJ emoji. */
export const HOSTILE_CHARS = '\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[5m\b\r\n\t\u200B\u200D\uFE0F\u2028\u2029\u061C\u0E33\u115F\u1160\u3164\uFFA0\u202E\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\x9b31m';

/** The same JSON answer, malformed the way `kind` says (`seq` varies which field a wrong type
 * lands on from one answer to the next). Transport cases return it unchanged. */
export function hostileJson(kind: HostileCase, json: string, seq: number): string {
  if (kind !== 'null-items' && kind !== 'wrong-types' && kind !== 'long-text' && kind !== 'escapes') return json;
  const value: unknown = JSON.parse(json);
  let visited = seq;
  const walk = (node: unknown, key: string): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item) => walk(item, key));
      if (kind === 'null-items') items.splice(Math.floor(items.length / 2), 0, null);
      return items;
    }
    if (node && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>).map(([k, v]): [string, unknown] => [k, walk(v, k)]);
      // A map of task states (keys are task names) gets a null member too.
      if (kind === 'null-items' && key === 'TaskStates') entries.push(['null-task', null]);
      if (kind === 'wrong-types') {
        const open = entries.filter(([k]) => !KEEP.has(k));
        const target = open[visited++ % Math.max(1, open.length)];
        if (target) target[1] = wrongType(target[1]);
      }
      return Object.fromEntries(entries);
    }
    if (typeof node !== 'string' || KEEP.has(key)) return node;
    if (kind === 'long-text' && TEXT_KEYS.has(key)) return longText(node);
    // Other IDs (node, eval, previous allocation) stay usable links.
    if (kind === 'escapes' && (key === 'JobID' || !key.endsWith('ID'))) return `${HOSTILE_CHARS}${node}${HOSTILE_CHARS}`;
    return node;
  };
  return JSON.stringify(walk(value, ''));
}

/** One event of the stream, its allocation malformed as hostileJson does (the frame around it
 * stays an event frame, or the case would only test the garbage-events one). */
export function hostileEvent(kind: HostileCase, eventJson: string, seq: number): string {
  const event = JSON.parse(eventJson) as { Payload?: { Allocation?: unknown } };
  if (!event.Payload?.Allocation) return eventJson;
  event.Payload.Allocation = JSON.parse(hostileJson(kind, JSON.stringify(event.Payload.Allocation), seq));
  return JSON.stringify(event);
}

/** A value of another JSON type than `value`'s. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'a list' };
  if (value && typeof value === 'object') return ['not', 'an', 'object'];
  return { surprise: true };
}

/** Lines the garbage-events case puts between real frames: none of them is an event frame. */
export const GARBAGE_LINES = [
  'not json at all',
  '{"Index":"seven","Events":"none"}',
  '[1,2,3]',
  'null',
  '{"Index":12,"Events":[null,7,{"Topic":"Allocation","Payload":null},{"Topic":"Allocation","Payload":{"Allocation":{"ID":42}}}]}',
  '\x1b[2J\x1b]0;pwned\x07',
  '{"Index":1e400}',
  '\u0000\u0001\u0002\ufffd',
];

/** What the bad-index case sends as X-Nomad-Index on the n-th answer. */
export function badIndex(real: string, n: number): string {
  const forms = ['abc', '0', '-5', '99999999999999999999999', String(Math.max(0, Number(real) - 1000)), '1.5', ''];
  return n % 2 === 0 ? forms[(n / 2) % forms.length] ?? real : real;
}
