// One long-poll loop for one query key (REFERENCE §3): GET with index = last X-Nomad-Index and
// a wait; reset to 0 when the index goes backwards; no new snapshot when it did not move; never
// faster than a minimum interval; on failure keep the data, back off with full jitter, recover.
import { isDeepStrictEqual } from 'node:util';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { initialState, type Fetcher, type QueryResult, type WatchState, type WatchStatus } from './types.js';

export interface WatchOptions {
  waitMs: number;
  /** Least time between two requests of this key; also the window that coalesces bursts. */
  minIntervalMs: number;
  backoff: BackoffPolicy;
  /** Retry period after a 403 (slow, with jitter): a token does not fix itself quickly. */
  deniedRetryMs: number;
  /** A 404 means "does not exist (yet)": a state to block on, not an error to back off from. */
  notFoundIsGone: boolean;
  /** undefined: the fetcher checks for itself right now. */
  verifyIndex?: (signal: AbortSignal) => Promise<number | undefined>;
  verifyEveryMs?: number;
  onStop?: () => void;
  local?: boolean;
  now: () => number;
  /** Waits ms, or less when the signal aborts (injectable: tests move time themselves). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

/** Waits ms, or until the signal aborts. Even a zero wait yields to the event loop, so a
 * fetcher that answers without I/O can never starve timers and input. */
export function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = ms > 0 ? setTimeout(done, ms) : undefined;
    const immediate = ms > 0 ? undefined : setImmediate(done);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

interface ErrorLike {
  status?: number;
  body?: string;
  name?: string;
  meta?: { index: number; knownLeader: boolean; lastContact: number };
}

/** The least interval for a key whose agent does not block (the Nomad UI throttles to 2 s). */
export const NOT_BLOCKING_FLOOR_MS = 2_000;
/** Early same-index answers in a row before an agent is taken for one that does not block. */
const NOT_BLOCKING_AFTER = 3;

export class Watcher<T> {
  state: WatchState<T> = initialState<T>();
  private readonly controller = new AbortController();
  private failures = 0;
  /** Blocking requests answered far too early with nothing new, in a row. */
  private earlyAnswers = 0;

  constructor(
    private readonly fetcher: Fetcher<T>,
    private readonly options: WatchOptions,
    private readonly emit: () => void,
  ) {}

  start(): void {
    this.loop().catch(() => {
      // The loop handles every error itself; reaching here means it was stopped mid-await.
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.controller.abort(new DOMException('watch closed', 'AbortError'));
    this.options.onStop?.();
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private set(patch: Partial<WatchState<T>>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  /** Waits ms, or until stop(). */
  private sleep(ms: number): Promise<void> {
    return this.options.sleep(ms, this.controller.signal);
  }

  private async loop(): Promise<void> {
    let index = 0;
    while (!this.stopped) {
      const startedAt = this.options.now();
      let nextDelay = 0;
      const request = this.requestController(index);
      try {
        const result = await this.fetcher({ index, waitMs: this.options.waitMs, signal: request.signal });
        request.done();
        if (this.stopped) return;
        this.failures = 0;
        if (result.restart) {
          // The fetcher lost its place: the next request reads from scratch, after the usual pause.
          index = 0;
        } else if (index > 0 && result.meta.index < index) {
          // Snapshot restore or leader change: the index went backwards. Start over from 0,
          // after the usual pause: an agent whose index goes back on every answer (or reads 0)
          // is not blocking, and counts towards the not-blocking floor.
          index = 0;
          this.countEarly(true);
        } else {
          this.judgeBlocking(index, result, this.options.now() - startedAt);
          this.received(result);
          // Index 0 would not block: floor at 1 so an empty table is waited on, not polled.
          index = Math.max(1, result.meta.index);
          // The rest of a read that is coming in page by page: on at once (still yielding).
          if (result.progress) {
            await this.sleep(0);
            continue;
          }
        }
      } catch (error) {
        request.done();
        if (this.stopped) return;
        if (request.regressed) index = 0;
        else nextDelay = this.failed(error as ErrorLike, (newIndex) => (index = newIndex));
      }
      const elapsed = this.options.now() - startedAt;
      await this.sleep(Math.max(nextDelay, this.floorMs() - elapsed));
    }
  }

  /** A blocking request answered in under a tenth of its wait with the index it waited on
   * did not block. A few in a row, and the key slows down, doubling up to the floor. */
  private judgeBlocking(index: number, result: QueryResult<T>, elapsedMs: number): void {
    if (index === 0 || result.paced) return;
    this.countEarly(result.meta.index === index && elapsedMs < this.options.waitMs / 10);
  }

  private countEarly(early: boolean): void {
    this.earlyAnswers = early ? this.earlyAnswers + 1 : 0;
    const notBlocking = this.earlyAnswers >= NOT_BLOCKING_AFTER;
    if (notBlocking !== this.state.notBlocking) this.set({ notBlocking });
  }

  private floorMs(): number {
    if (this.earlyAnswers < NOT_BLOCKING_AFTER) return this.options.minIntervalMs;
    return Math.min(NOT_BLOCKING_FLOOR_MS, this.options.minIntervalMs * 2 ** (this.earlyAnswers - NOT_BLOCKING_AFTER + 1));
  }

  /** Publishes an answer: a new snapshot only when the index moved (or the status changed),
   * and the data with it. Some answers carry their table's index (an allocation's services:
   * the registrations table's), so on a busy cluster they come at once after a write anywhere,
   * with the data already held; the list's stream carries every namespace's events. Then the
   * index is taken, and no subscriber draws again for nothing. */
  private received(result: QueryResult<T>): void {
    const { meta } = result;
    const status: WatchStatus = meta.knownLeader ? 'live' : 'stale';
    const now = this.options.now();
    const moved = result.changed === true || meta.index !== this.state.index || this.state.data === undefined || this.state.status === 'gone' || result.progress !== this.state.progress;
    // The list feed hands back the very rows it last gave when an event only moved the index
    // (another namespace's write): the same array. A blocking read decodes afresh: compared.
    const sameData = moved && !result.changed && result.progress === undefined && this.state.progress === undefined && this.state.data !== undefined && this.state.status !== 'gone' && (result.data === this.state.data || (!result.paced && isDeepStrictEqual(result.data, this.state.data)));
    if (sameData && status === this.state.status && meta.knownLeader === this.state.knownLeader && this.state.error === undefined) {
      this.state.index = meta.index;
      this.state.okAt = now;
      this.state.lastContact = meta.lastContact;
    } else if (moved) {
      this.set({ data: result.data, index: meta.index, status, error: undefined, knownLeader: meta.knownLeader, lastContact: meta.lastContact, updatedAt: now, okAt: now, retryAt: 0, progress: result.progress });
    } else if (status !== this.state.status || meta.knownLeader !== this.state.knownLeader) {
      this.set({ status, error: undefined, knownLeader: meta.knownLeader, lastContact: meta.lastContact, okAt: now, retryAt: 0 });
    } else {
      // Nothing a subscriber could see changed: no new snapshot.
      this.state.okAt = now;
      this.state.lastContact = meta.lastContact;
    }
  }

  /** A signal for one request, aborted when the watch stops or, for a blocking request, when
   * verifyIndex finds the agent's index below the one the request waits on. */
  private requestController(index: number): { signal: AbortSignal; regressed: boolean; done: () => void } {
    const controller = new AbortController();
    const onStop = (): void => controller.abort(this.controller.signal.reason);
    this.controller.signal.addEventListener('abort', onStop, { once: true });
    const handle = { signal: controller.signal, regressed: false, done: () => {} };
    const { verifyIndex, verifyEveryMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    if (verifyIndex && verifyEveryMs && index > 0) {
      timer = setInterval(() => {
        verifyIndex(controller.signal).then(
          (current) => {
            if (current !== undefined && current < index && !controller.signal.aborted) {
              handle.regressed = true;
              controller.abort(new DOMException('index went backwards', 'AbortError'));
            }
          },
          () => {
            // A failed check proves nothing; the blocking request reports real failures.
          },
        );
      }, verifyEveryMs);
    }
    handle.done = () => {
      if (timer) clearInterval(timer);
      this.controller.signal.removeEventListener('abort', onStop);
    };
    return handle;
  }

  /** Records a failure and returns how long to wait before the next request. */
  private failed(error: ErrorLike, setIndex: (index: number) => void): number {
    const now = this.options.now();
    const err = error instanceof Error ? error : new Error(String(error));
    if (error.status === 404 && this.options.notFoundIsGone) {
      this.failures = 0;
      // A blocking 404 returns when the thing appears: block on the index it carried.
      if (error.meta?.index) setIndex(error.meta.index);
      if (this.state.status !== 'gone') this.set({ status: 'gone', data: undefined, error: err, okAt: now, retryAt: 0 });
      return error.meta?.index ? 0 : this.options.backoff.capMs;
    }
    this.failures += 1;
    // The retry asks without blocking (index 0): a recovered agent with nothing new to report
    // would otherwise hold a blocking query for the whole wait, and the status would keep
    // saying "reconnecting" for minutes after the agent is back.
    setIndex(0);
    let delay: number;
    let status: WatchStatus;
    if (error.status === 403) {
      status = 'denied';
      delay = this.options.deniedRetryMs / 2 + this.options.random() * (this.options.deniedRetryMs / 2);
    } else if (error.status === 400) {
      status = 'error';
      delay = this.options.backoff.capMs;
    } else {
      status = 'reconnecting';
      delay = Math.max(this.options.minIntervalMs, backoffDelay(this.failures, this.options.backoff, this.options.random));
    }
    // A fetcher that knows its failures repeat across successes asks for a longer wait.
    const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof asked === 'number' && Number.isFinite(asked)) delay = Math.max(delay, asked);
    this.set({ status, error: err, retryAt: now + delay });
    return delay;
  }
}
