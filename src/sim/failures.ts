// The ways a simulated task fails, with the events a Nomad client records for each (nomad/
// structs TaskEvent types and PopulateEventDisplayMessage texts; the docker driver's pull error).
import type { TaskEvent } from '../nomad/types.js';
import type { Prng } from './prng.js';
import type { SimTask } from './model.js';
import { events } from './taskEvents.js';

export interface Failure {
  kind: 'exit' | 'oom' | 'driver' | 'artifact' | 'setup';
  /** The events the failure itself records, before Restarting / Not Restarting. */
  events: (now: number) => TaskEvent[];
  /** Setup failures are not retried: they fail the task at once. */
  failsTask: boolean;
}

export type FailureKind = Failure['kind'];

const ROLL_FOR: Record<FailureKind, number> = { exit: 0, oom: 0.7, driver: 0.8, artifact: 0.9, setup: 0.99 };

/** A failure for the task: drawn from the PRNG, or the `kind` asked for (tests). */
export function pickFailure(prng: Prng, task: SimTask, kind?: FailureKind): Failure {
  const roll = kind ? ROLL_FOR[kind] : prng.next();
  if (roll < 0.6) return { kind: 'exit', failsTask: false, events: (now) => [events.terminated(now, 1)] };
  if (roll < 0.78) return { kind: 'oom', failsTask: false, events: (now) => [events.terminated(now, 137, 0, 'OOM Killed', true)] };
  if (roll < 0.88 && (task.driver === 'docker' || kind === 'driver')) {
    return { kind: 'driver', failsTask: false, events: (now) => [events.driverFailure(now, `Failed to pull \`${task.image}\`: API error (404): manifest for ${task.image} not found: manifest unknown: manifest unknown`)] };
  }
  if (roll < 0.96) return { kind: 'artifact', failsTask: false, events: (now) => [events.artifactFailed(now, 'GET error: bad response code: 404')] };
  return { kind: 'setup', failsTask: true, events: (now) => [events.setupFailure(now, `failed to setup alloc: pre-run hook "network" failed: failed to configure networking for alloc: failed to set up port mapping`)] };
}
