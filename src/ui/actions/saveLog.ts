// w in the log view: what the feed holds, as the task wrote it, into a new file (never over an
// existing one: nothing is lost), with a result line saying where and how much.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sanitize } from '../format.js';
import type { Outcome } from './outcome.js';

export async function saveLog(path: string, bytes: Buffer, lines: number): Promise<Outcome> {
  const full = resolve(path);
  try {
    await writeFile(full, bytes, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (code === 'EEXIST') return { ok: false, text: `${sanitize(full)} exists: press w and choose another name` };
    return { ok: false, text: `cannot write ${sanitize(full)}: ${sanitize(code)}` };
  }
  const size = bytes.length >= 1024 * 1024 ? `${(bytes.length / 1024 / 1024).toFixed(1)} MB` : `${(bytes.length / 1024).toFixed(1)} KB`;
  return { ok: true, text: `saved ${size} (${lines.toLocaleString('en-US')} lines) to ${sanitize(full)}` };
}
