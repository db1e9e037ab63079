// Task logs in the simulator, kept as Nomad's logmon keeps them: per task and stream, files
// alloc/logs/<task>.<stdout|stderr>.<n> rotated at max_file_size (a line may be split across
// two files), at most max_files of them, the oldest deleted. A log exists once something asks
// for it (its history is then written at once, seeded); from then on a running task prints
// at the configured rate. Followers are told of each write and of the directory's removal
// (garbage collection), as the client's file watcher would tell them.
import { Prng } from './prng.js';
import { bannerLines, failureLines, logSeed, nextLine, type LogType } from './logLines.js';

export interface LogLimits {
  maxFiles: number;
  maxFileSize: number;
}

/** Nomad's logs block defaults: 10 files of 10 MB. */
export const DEFAULT_LOG_LIMITS: LogLimits = { maxFiles: 10, maxFileSize: 10 * 1024 * 1024 };

/** How fast a running task prints: lines or bytes per second, per task and stream. */
export type LogRate = { linesPerSecond: number } | { bytesPerSecond: number };

export interface LogFile {
  index: number;
  /** The file's bytes, in write order. */
  chunks: Buffer[];
  size: number;
}

export class TaskLog {
  /** Existing files, oldest first. */
  readonly files: LogFile[] = [];
  /** The allocation directory was removed: no more files, followers end. */
  deleted = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly task: string,
    readonly type: LogType,
    private readonly limits: LogLimits,
  ) {}

  fileName(index: number): string {
    return `alloc/logs/${this.task}.${this.type}.${index}`;
  }

  /** Appends bytes, rotating into the next file at max_file_size. */
  append(bytes: Buffer): void {
    if (this.deleted) return;
    let rest = bytes;
    while (rest.length > 0) {
      let file = this.files.at(-1);
      if (!file || file.size >= this.limits.maxFileSize) {
        file = { index: file ? file.index + 1 : 0, chunks: [], size: 0 };
        this.files.push(file);
        while (this.files.length > this.limits.maxFiles) this.files.shift();
      }
      const room = this.limits.maxFileSize - file.size;
      const part = rest.subarray(0, room);
      file.chunks.push(part);
      file.size += part.length;
      rest = rest.subarray(part.length);
    }
    this.notify();
  }

  /** Up to `max` bytes of file `index` from `offset` (empty at its end or when it is gone). */
  read(index: number, offset: number, max: number): Buffer {
    const file = this.files.find((f) => f.index === index);
    if (!file || offset >= file.size) return Buffer.alloc(0);
    const out: Buffer[] = [];
    let skip = offset;
    let left = max;
    for (const chunk of file.chunks) {
      if (left <= 0) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const part = chunk.subarray(skip, skip + left);
      skip = 0;
      left -= part.length;
      out.push(part);
    }
    return Buffer.concat(out);
  }

  file(index: number): LogFile | undefined {
    return this.files.find((f) => f.index === index);
  }

  /** Calls `listener` after every write, rotation and the removal. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  remove(): void {
    this.deleted = true;
    this.files.length = 0;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

interface Printer {
  log: TaskLog;
  prng: Prng;
  allocId: string;
  /** Bytes owed by the rate since the last tick (bytes-per-second mode). */
  debt: number;
}

/** The running state of tasks, as the store needs it. */
export interface LogSubject {
  running(allocId: string, task: string): boolean;
}

export class LogStore {
  private readonly printers = new Map<string, Printer>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly subject: LogSubject,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly rate: LogRate = { linesPerSecond: 2 },
  ) {}

  private static key(allocId: string, task: string, type: LogType): string {
    return `${allocId}/${task}/${type}`;
  }

  /** The log, written up to now on first use: a banner at the task's start, then its lines. */
  get(allocId: string, task: string, image: string, type: LogType, startedAtMs: number): TaskLog {
    const key = LogStore.key(allocId, task, type);
    const existing = this.printers.get(key);
    if (existing) return existing.log;
    const log = new TaskLog(task, type, this.limits);
    const prng = new Prng(logSeed(allocId, task, type));
    log.append(Buffer.from(bannerLines(task, image, type, startedAtMs).map((line) => `${line}\n`).join('')));
    const history = type === 'stdout' ? 300 : 30;
    const now = Date.now();
    const lines: Buffer[] = [];
    for (let i = 0; i < history; i++) lines.push(nextLine(prng, type, startedAtMs + ((now - startedAtMs) * (i + 1)) / history));
    log.append(Buffer.concat(lines));
    this.printers.set(key, { log, prng, allocId, debt: 0 });
    this.start();
    return log;
  }

  /** Existing logs of an allocation's task (stdout and stderr), for its failures and starts. */
  private logsOf(allocId: string, task: string): Printer[] {
    return (['stdout', 'stderr'] as const).map((type) => this.printers.get(LogStore.key(allocId, task, type))).filter((p): p is Printer => p !== undefined);
  }

  /** A task fails: its stack trace goes to stderr. */
  failed(allocId: string, task: string, exitCode: number): void {
    for (const printer of this.logsOf(allocId, task)) {
      if (printer.log.type === 'stderr') printer.log.append(Buffer.from(failureLines(task, Date.now(), exitCode).map((line) => `${line}\n`).join('')));
    }
  }

  /** A task starts again (a restart): its banner, in the same files, as logmon keeps them. */
  started(allocId: string, task: string, image: string): void {
    for (const printer of this.logsOf(allocId, task)) printer.log.append(Buffer.from(bannerLines(task, image, printer.log.type, Date.now()).map((line) => `${line}\n`).join('')));
  }

  /** The allocation's directory is gone (garbage collected): its logs end. */
  removed(allocId: string): void {
    for (const [key, printer] of this.printers) {
      if (printer.allocId !== allocId) continue;
      printer.log.remove();
      this.printers.delete(key);
    }
  }

  private start(): void {
    if (this.timer) return;
    // Small steps: a task writes as it goes, not in bursts.
    const tickMs = 50;
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
    this.timer.unref();
  }

  private tick(tickMs: number): void {
    const now = Date.now();
    for (const printer of this.printers.values()) {
      const { log } = printer;
      if (!this.subject.running(printer.allocId, log.task)) continue;
      // stderr prints a tenth as much as stdout.
      const share = log.type === 'stderr' ? 0.1 : 1;
      const lines: Buffer[] = [];
      if ('bytesPerSecond' in this.rate) {
        printer.debt += (this.rate.bytesPerSecond * share * tickMs) / 1000;
        while (printer.debt > 0) {
          const line = nextLine(printer.prng, log.type, now);
          printer.debt -= line.length;
          lines.push(line);
        }
      } else {
        printer.debt += (this.rate.linesPerSecond * share * tickMs) / 1000;
        for (; printer.debt >= 1; printer.debt -= 1) lines.push(nextLine(printer.prng, log.type, now));
      }
      if (lines.length) log.append(Buffer.concat(lines));
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
