// The services pane's rows: each service registration, then its Nomad checks (status, mode,
// when it last ran, output), then any check whose service is not listed. The rows are what the
// pane's cursor moves over; a check row carries its whole output for the lines under the list.
// Pure.
import type { ServiceRegistration } from '../../nomad/types.js';
import type { CheckResult } from '../../store/allocChecks.js';
import { fit, formatDuration, sanitize, show } from '../format.js';

export type ServiceRow = { kind: 'service'; service: ServiceRegistration } | { kind: 'check'; check: CheckResult };

export function serviceRows(services: readonly ServiceRegistration[] | undefined, checks: readonly CheckResult[] | undefined): ServiceRow[] {
  const rows: ServiceRow[] = [];
  const left = new Set(checks ?? []);
  for (const service of services ?? []) {
    rows.push({ kind: 'service', service });
    for (const check of checks ?? []) {
      if (check.service !== service.ServiceName) continue;
      rows.push({ kind: 'check', check });
      left.delete(check);
    }
  }
  for (const check of left) rows.push({ kind: 'check', check });
  return rows;
}

/** ✓ success, ✖ failure, … pending: a mark as well as a word, so NO_COLOR reads the same. */
export function checkMark(status: string): string {
  return status === 'success' ? '✓' : status === 'failure' ? '✖' : status === 'pending' ? '…' : '?';
}

export function serviceLine(service: ServiceRegistration, width: number): string {
  const address = `${show(service.Address)}:${typeof service.Port === 'number' ? service.Port : '–'}`;
  const tags = Array.isArray(service.Tags) && service.Tags.length ? `[${service.Tags.map(sanitize).join(',')}]` : '';
  const nameWidth = Math.max(12, Math.min(30, Math.floor(width * 0.4)));
  return `${fit(show(service.ServiceName), nameWidth)} ${fit(address, 22)} ${tags}`;
}

export function checkLine(check: CheckResult, nowMs: number): string {
  const age = check.at > 0 ? ` ${formatDuration(Math.max(0, nowMs - check.at))} ago` : '';
  const code = check.statusCode !== undefined ? ` ${check.statusCode}` : '';
  const mode = check.mode && check.mode !== 'healthiness' ? ` (${sanitize(check.mode)})` : '';
  return `  ${checkMark(check.status)} ${sanitize(check.check)}${mode} ${sanitize(check.status)}${code}${age} · ${sanitize(check.output) || '(no output yet)'}`;
}

/** The title's word on the checks: how many fail, else how many wait for a first run. */
export function checksSummary(checks: readonly CheckResult[] | undefined): string {
  if (!checks?.length) return '';
  const failing = checks.filter((c) => c.status === 'failure').length;
  const pending = checks.filter((c) => c.status === 'pending').length;
  if (failing) return `${failing} of ${checks.length} checks failing`;
  if (pending) return `${pending} of ${checks.length} checks pending`;
  return `${checks.length === 1 ? 'its check passes' : `all ${checks.length} checks pass`}`;
}
