// Starts a simulator on a free loopback port for one test and closes it afterwards.
import { after } from 'node:test';
import { NomadClient } from '../../src/nomad/client.js';
import { GC_CANDIDATE_FILTER } from '../../src/nomad/gcCandidates.js';
import type { ClientConfig } from '../../src/nomad/config.js';
import { startSimServer, type SimServer, type SimServerOptions } from '../../src/sim/http/server.js';

export async function startSim(options: SimServerOptions = {}): Promise<SimServer> {
  // A leaderless server holds requests for 5 s (RPCHoldTimeout); tests that are not about the
  // hold itself keep it short.
  const server = await startSimServer({ allocs: 40, seed: 7, life: false, rpcHoldTimeoutMs: 200, ...options });
  after(() => server.close());
  return server;
}

export function clientFor(target: SimServer | string, config: Partial<ClientConfig> = {}): NomadClient {
  const client = new NomadClient({ address: typeof target === 'string' ? target : target.url, ...config });
  after(() => client.close());
  return client;
}

/** Raw fetch against the sim: status, headers and body text, as a real agent would send them. */
export async function raw(server: SimServer, path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(server.url + path, init);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An absence check's window: real time for something that must NOT happen (a request loop, a
 * second read) to show. A slow machine only gives a bug less time to show; it can never fail a
 * correct build. Nothing that must happen is waited for this way: that is eventually(). */
export function quietFor(ms: number): Promise<void> {
  return delay(ms);
}

/** Polls until check() returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

function allocationReads(server: SimServer): URLSearchParams[] {
  return server.counters.recent.filter((url) => url.startsWith('/v1/allocations?')).map((url) => new URL(url, 'http://sim').searchParams);
}

/** Reads of the allocation list itself: not the one-row index checks (per_page=1), not the
 * reads of garbage-collection candidates; a read's later pages (next_token) are the same read. */
export function listReads(server: SimServer): number {
  return allocationReads(server).filter((params) => params.get('per_page') !== '1' && params.get('filter') !== GC_CANDIDATE_FILTER && !params.has('next_token')).length;
}

/** Reads of only the allocations garbage collection could have deleted. */
export function reconcileReads(server: SimServer): number {
  return allocationReads(server).filter((params) => params.get('filter') === GC_CANDIDATE_FILTER && !params.has('next_token')).length;
}
