// Raw-mode keyboard input, one call per key: every key of a terminal read, in order (see
// input/keys.ts for why Ink's useInput is not enough). It subscribes in a layout effect, inside
// the commit that draws the component: a passive effect runs after the frame is visible, and a
// key pressed in that gap (a prompt just appeared) would be lost. An escape sequence split
// across reads is joined (input/keys.ts splitKeys); a lone Esc is a key once ESCAPE_WAIT_MS
// pass with nothing after it.
import { useLayoutEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { trace, tracing } from '../../store/trace.js';
import { parseKeys, splitKeys, type Key } from '../input/keys.js';

/** How long an unfinished escape sequence waits for the rest (a lone Esc waits this long). */
export const ESCAPE_WAIT_MS = 30;

/** Calls onKey for every key, with the number of the terminal read it came in (counted by
 * this listener: keys of one read share a number). */
export function useKeys(onKey: (key: Key, read: number) => void): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: events } = useStdin();
  const handler = useRef(onKey);
  handler.current = onKey;
  const reads = useRef(0);
  useLayoutEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    // Ink 6.8 splits a read into its keypresses and emits each on its own ('s', '\x1b[B', '\r'),
    // all from one synchronous loop over the read: the read ends when that loop does, so every
    // piece before the next microtask shares the read's number.
    let inRead = false;
    const readNumber = (): number => {
      if (!inRead) {
        inRead = true;
        reads.current += 1;
        queueMicrotask(() => (inRead = false));
      }
      return reads.current;
    };
    const emit = (keys: readonly Key[], read: number): void => {
      for (const key of keys) handler.current(key, read);
    };
    const onInput = (chunk: string | Buffer): void => {
      if (tracing) trace('input', { bytes: Buffer.byteLength(chunk) });
      const read = readNumber();
      clearTimeout(timer);
      const { keys, rest } = splitKeys(pending + String(chunk));
      pending = rest;
      emit(keys, read);
      // Nothing more came: what is pending was the whole key (Esc, or Alt-[ …).
      if (pending) {
        timer = setTimeout(() => {
          const held = pending;
          pending = '';
          emit(parseKeys(held), readNumber());
        }, ESCAPE_WAIT_MS);
      }
    };
    events.on('input', onInput);
    return () => {
      clearTimeout(timer);
      events.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [events, isRawModeSupported, setRawMode]);
}
