// A virtual clock for the list feed's timing rules (FeedClock): time moves only when a test
// calls advance(), which fires due sleeps in order and lets the promises they free run.
import type { FeedClock } from '../../src/store/feedClock.js';

interface Sleeper {
  at: number;
  resolve: () => void;
}

export class FakeClock implements FeedClock {
  private time = 1_000_000;
  private readonly sleepers = new Set<Sleeper>();

  now = (): number => this.time;

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const sleeper: Sleeper = { at: this.time + Math.max(0, ms), resolve: () => done() };
      const done = (): void => {
        this.sleepers.delete(sleeper);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.sleepers.add(sleeper);
      signal.addEventListener('abort', done, { once: true });
    });

  /** Moves time on by ms, waking each sleeper at its time, and settles what that sets off. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.sleepers].filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    this.time = target;
    await settle();
  }
}

/** Lets every promise chain that does no real I/O run to its end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
