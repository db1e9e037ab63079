// What the status bar says about the connection, from the store's summary: live; reconnecting
// in Ns (stale since T); stale with no leader; permission denied. Pure, table-tested.
import type { ConnectionSummary } from '../store/types.js';
import { formatDuration, sanitize } from './format.js';

export type Tone = 'ok' | 'warning' | 'danger' | 'muted';

export interface ConnectionText {
  text: string;
  tone: Tone;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function reason(summary: ConnectionSummary): string {
  const message = sanitize(summary.error?.message ?? '');
  // "cannot reach Nomad at X: connection refused; ..." → the part after the address.
  return message.replace(/^cannot reach Nomad at \S+: /, '').replace(/ \((GET|PUT|POST) [^)]*\)$/, '');
}

export function connectionText(summary: ConnectionSummary, nowMs: number): ConnectionText {
  const since = summary.staleSince ? ` · stale since ${clock(summary.staleSince)}` : '';
  switch (summary.status) {
    case 'live':
      return summary.notBlocking
        ? { text: '● live · the agent answers without waiting (not a blocking query): one request per 2 s', tone: 'warning' }
        : { text: '● live', tone: 'ok' };
    case 'loading':
      return { text: '○ connecting…', tone: 'muted' };
    case 'reconnecting': {
      const wait = summary.retryAt ? Math.max(0, Math.ceil((summary.retryAt - nowMs) / 1000)) : 0;
      if (/No path to region/.test(summary.error?.message ?? '')) {
        return { text: `✖ region unknown to this agent (No path to region) — check NOMAD_REGION or --region · ${wait > 0 ? `retry in ${wait}s` : 'retrying…'}`, tone: 'danger' };
      }
      // Once the retry is due the request is under way: say so, not "in 0s" for seconds.
      return { text: `◌ reconnecting${wait > 0 ? ` in ${wait}s` : '…'}${since} · ${reason(summary)}`, tone: 'warning' };
    }
    case 'stale':
      return { text: `◐ stale: no known leader · last contact ${formatDuration(summary.lastContact)} ago`, tone: 'warning' };
    case 'denied':
      return { text: `✖ permission denied — check NOMAD_TOKEN${since}`, tone: 'danger' };
    case 'error':
    case 'gone':
      return { text: `✖ ${reason(summary)}${since}`, tone: 'danger' };
  }
}
