// An allocation's Nomad service checks (GET /v1/allocation/:id/checks, Nomad 1.4+): the map by
// check ID read into a list, sorted by service and check, each field checked (a malformed entry
// is skipped); `null` is no checks. What Nomad's checker reports (nomad/structs/checks.go
// CheckQueryResult): status success / failure / pending, mode healthiness / readiness, the
// output, when it last ran (unix seconds).
export interface CheckResult {
  id: string;
  service: string;
  check: string;
  task: string | undefined;
  mode: string;
  status: string;
  statusCode: number | undefined;
  output: string;
  /** When it last ran, ms. */
  at: number;
}

export function checkResults(answer: unknown): CheckResult[] {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return [];
  const out: CheckResult[] = [];
  for (const [id, value] of Object.entries(answer as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const c = value as Record<string, unknown>;
    const text = (field: string): string => (typeof c[field] === 'string' ? (c[field] as string) : '');
    if (!text('Service') && !text('Check')) continue;
    out.push({
      id: text('ID') || id,
      service: text('Service'),
      check: text('Check'),
      task: text('Task') || undefined,
      mode: text('Mode'),
      status: text('Status'),
      statusCode: typeof c.StatusCode === 'number' && Number.isFinite(c.StatusCode) ? c.StatusCode : undefined,
      output: text('Output'),
      at: typeof c.Timestamp === 'number' && Number.isFinite(c.Timestamp) ? c.Timestamp * 1000 : 0,
    });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service) || a.check.localeCompare(b.check) || a.id.localeCompare(b.id));
}
