// Fault injection for the simulator: request faults (connection reset before or mid-body,
// slow headers, truncated JSON) picked per GET request, and cluster faults (no leader, an
// index that jumps backwards, a server restart on the same port) picked per second. A profile
// is a rate per fault; `off` by default. Tests trigger faults one at a time.
import { Prng } from './prng.js';

export const REQUEST_FAULTS = ['reset-before', 'reset-mid', 'slow-headers', 'truncated'] as const;
export const CLUSTER_FAULTS = ['no-leader', 'index-regression', 'restart'] as const;
export const ALL_FAULTS = [...REQUEST_FAULTS, ...CLUSTER_FAULTS] as const;
export type RequestFault = (typeof REQUEST_FAULTS)[number];
export type ClusterFault = (typeof CLUSTER_FAULTS)[number];
export type FaultKind = RequestFault | ClusterFault;
export type FaultProfile = Partial<Record<FaultKind, number>>;

const LIGHT: FaultProfile = { 'reset-before': 0.01, 'reset-mid': 0.01, 'slow-headers': 0.01, truncated: 0.01, 'no-leader': 0.01, 'index-regression': 0.005, restart: 0.003 };

export const PROFILES: Record<string, FaultProfile> = {
  off: {},
  light: LIGHT,
  heavy: Object.fromEntries(Object.entries(LIGHT).map(([kind, rate]) => [kind, rate * 6])),
};

/** Parses `off`, `light`, `heavy` or `kind=rate,kind=rate` (rates from 0 to 1). */
export function parseFaultProfile(text: string): FaultProfile {
  const named = PROFILES[text];
  if (named) return named;
  const profile: FaultProfile = {};
  for (const part of text.split(',')) {
    const [kind, rate] = part.split('=');
    if (!kind || !ALL_FAULTS.includes(kind as FaultKind)) {
      throw new Error(`unknown fault "${kind ?? ''}"; use off, light, heavy, or kind=rate with kinds ${ALL_FAULTS.join(', ')}`);
    }
    const value = Number(rate);
    if (rate === undefined || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`fault rate for ${kind} must be from 0 to 1, not "${rate ?? ''}"`);
    profile[kind as FaultKind] = value;
  }
  return profile;
}

export interface ClusterFaultEffects {
  loseLeader(durationMs: number): void;
  regressIndex(): void;
  restart(downMs: number): Promise<void>;
}

export class FaultInjector {
  readonly counts: Record<FaultKind, number> = Object.fromEntries(ALL_FAULTS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  private profile: FaultProfile = {};
  private readonly prng: Prng;
  private timer?: NodeJS.Timeout;
  private readonly queued: RequestFault[] = [];
  /** How long slow-headers holds an answer back. */
  slowHeadersMs = 3000;

  constructor(private readonly effects: ClusterFaultEffects, seed = 1) {
    this.prng = new Prng(seed ^ 0x5eed);
  }

  setProfile(profile: FaultProfile): void {
    this.profile = profile;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (CLUSTER_FAULTS.some((kind) => (profile[kind] ?? 0) > 0)) {
      this.timer = setInterval(() => this.tick(), 1000);
      this.timer.unref();
    }
  }

  /** Makes the next GET request(s) suffer `kind`, once each. */
  queue(kind: RequestFault, times = 1): void {
    for (let i = 0; i < times; i++) this.queued.push(kind);
  }

  /** The fault this GET request suffers, if any. */
  forRequest(): RequestFault | undefined {
    const kind = this.queued.shift() ?? REQUEST_FAULTS.find((k) => this.prng.chance(this.profile[k] ?? 0));
    if (kind) this.counts[kind] += 1;
    return kind;
  }

  /** Triggers a cluster fault now. */
  async trigger(kind: ClusterFault, durationMs = 3000): Promise<void> {
    this.counts[kind] += 1;
    if (kind === 'no-leader') this.effects.loseLeader(durationMs);
    else if (kind === 'index-regression') this.effects.regressIndex();
    else await this.effects.restart(durationMs);
  }

  private tick(): void {
    for (const kind of CLUSTER_FAULTS) {
      if (!this.prng.chance(this.profile[kind] ?? 0)) continue;
      void this.trigger(kind, kind === 'restart' ? this.prng.int(1000, 3000) : this.prng.int(2000, 8000));
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
