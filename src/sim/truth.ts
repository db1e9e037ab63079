// The truth check: a list of rows (what a console holds) against the simulated cluster as it is
// now. Ghosts are rows of allocations the cluster no longer has, missing rows are allocations
// the list lacks, wrong ones have another ClientStatus or DesiredStatus. Each is "settled" when
// its allocation last changed more than graceMs ago: a console may lag a change, never forever.
// A first read still coming in (`partial`: the console says "loading n / m") lacks rows by
// design; what it holds must be true all the same, so only its missing rows are let go.
import type { Cluster } from './cluster.js';

export interface TruthRow {
  ID?: string | null;
  ClientStatus?: string | null;
  DesiredStatus?: string | null;
}

export interface TruthReport {
  rows: number;
  cluster: number;
  ghosts: string[];
  missing: string[];
  wrong: string[];
  /** The ghosts, missing and wrong rows whose allocation last changed more than graceMs ago. */
  settled: { ghosts: string[]; missing: string[]; wrong: string[] };
  /** How long the oldest settled ghost had been gone, in ms (0 when none). */
  oldestGhostMs: number;
}

export function checkTruth(cluster: Cluster, rows: readonly TruthRow[], namespace: string, atMs = Date.now(), graceMs = 10_000, partial = false): TruthReport {
  const inScope = cluster.ordered.filter((sim) => namespace === '*' || sim.alloc.Namespace === namespace);
  const byId = new Map(inScope.map((sim) => [sim.alloc.ID ?? '', sim]));
  const held = new Set<string>();
  const report: TruthReport = { rows: rows.length, cluster: inScope.length, ghosts: [], missing: [], wrong: [], settled: { ghosts: [], missing: [], wrong: [] }, oldestGhostMs: 0 };
  const changedAgo = (modifyTimeNs: number | null | undefined): number => atMs - (modifyTimeNs ?? 0) / 1_000_000;
  for (const row of rows) {
    const id = row.ID ?? '';
    held.add(id);
    const sim = byId.get(id);
    if (!sim) {
      report.ghosts.push(id);
      // Removed long enough ago to have left the record: long gone.
      const goneMs = atMs - (cluster.removedAt.get(id) ?? 0);
      if (goneMs > graceMs) {
        report.settled.ghosts.push(id);
        report.oldestGhostMs = Math.max(report.oldestGhostMs, goneMs);
      }
    } else if (sim.alloc.ClientStatus !== row.ClientStatus || sim.alloc.DesiredStatus !== row.DesiredStatus) {
      report.wrong.push(id);
      if (changedAgo(sim.alloc.ModifyTime) > graceMs) report.settled.wrong.push(id);
    }
  }
  for (const [id, sim] of byId) {
    if (held.has(id)) continue;
    report.missing.push(id);
    if (!partial && changedAgo(sim.alloc.ModifyTime) > graceMs) report.settled.missing.push(id);
  }
  return report;
}
