// A bulk action: one request per marked allocation, a few at a time, each with its own
// namespace (the client adds the region); progress reported as answers come; Esc stops
// sending what has not been sent. The report says what happened to each allocation, and its
// summary counts failures by cause and namespace.
import type { AllocListStub } from '../../nomad/types.js';
import { sanitize } from '../format.js';
import type { AllocationActions } from '../hooks/useAllocationActions.js';
import type { Send } from '../prompts/promptState.js';
import { label, type ActionKind } from './eligibility.js';
import { sendRequest, type SendOutcome } from './sendRequest.js';

/** Requests in flight at once: enough to be quick, few enough not to flood the agent. */
export const BULK_CONCURRENCY = 4;

export interface BulkReport {
  kind: ActionKind;
  /** Each allocation sent to, in the order they were sent, with how it went. */
  items: { alloc: AllocListStub; outcome: SendOutcome }[];
  /** Not sent: Esc stopped the sending before their turn. */
  notSent: readonly AllocListStub[];
  /** Not sent: Nomad would refuse them (or, for a signal to one task, they do not run it). */
  skipped: readonly { alloc: AllocListStub; reason: string }[];
}

export interface BulkRun {
  actions: AllocationActions;
  /** True once the user asked to send no more. */
  stopped: () => boolean;
  onProgress: (done: number, failed: number) => void;
  concurrency?: number;
}

export async function runBulk(kind: ActionKind, targets: readonly AllocListStub[], send: Send, skipped: BulkReport['skipped'], run: BulkRun): Promise<BulkReport> {
  const items: BulkReport['items'] = [];
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length && !run.stopped()) {
      const alloc = targets[next++] as AllocListStub;
      const outcome = await sendRequest(run.actions, alloc, send);
      items.push({ alloc, outcome });
      if (!outcome.ok) failed += 1;
      run.onProgress(items.length, failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency ?? BULK_CONCURRENCY, targets.length) }, worker));
  const sent = new Set(items.map((item) => item.alloc));
  return { kind, items, notSent: targets.filter((alloc) => !sent.has(alloc)), skipped };
}

const DONE: Record<ActionKind, string> = { stop: 'stopped', restart: 'restarted', signal: 'signalled', exec: 'exec ended' };

/** "18 stopped, 2 failed: 403 on 2 in namespace billing · R: the report". */
export function bulkSummary(report: BulkReport): string {
  const ok = report.items.filter((item) => item.outcome.ok).length;
  const causes = new Map<string, number>();
  for (const { alloc, outcome } of report.items) {
    if (outcome.ok) continue;
    const key = `${outcome.cause ?? 'error'}|${sanitize(alloc.Namespace) || 'default'}`;
    causes.set(key, (causes.get(key) ?? 0) + 1);
  }
  const failed = [...causes].map(([key, count]) => {
    const [cause, namespace] = key.split('|');
    return `${cause} on ${count} in namespace ${namespace}`;
  });
  const parts = [`${ok} ${DONE[report.kind]}`];
  if (failed.length) parts.push(`${report.items.length - ok} failed: ${failed.join(', ')}`);
  if (report.notSent.length) parts.push(`${report.notSent.length} not sent (stopped by Esc)`);
  if (report.skipped.length) parts.push(`${report.skipped.length} skipped`);
  return `${parts.join(', ')} · R: the report`;
}

/** The report as lines: the summary, then every allocation with what happened to it. */
export function reportLines(report: BulkReport): string[] {
  return [
    `${report.kind.toUpperCase()} REPORT  ${bulkSummary(report).replace(' · R: the report', '')}`,
    ...report.items.map(({ outcome }) => `${outcome.ok ? '✓' : '✖'} ${outcome.text}`),
    ...report.notSent.map((alloc) => `– ${label(alloc)}: not sent (stopped by Esc)`),
    ...report.skipped.map(({ alloc, reason }) => `– ${label(alloc)}: skipped — ${reason}`),
  ];
}
