// Raw-mode keyboard input, one call per key: every key of a terminal read, in order (see
// input/keys.ts for why Ink's useInput is not enough). It subscribes in a layout effect, inside
// the commit that draws the component: a passive effect runs after the frame is visible, and a
// key pressed in that gap (a prompt just appeared) would be lost.
import { useLayoutEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { trace, tracing } from '../../store/trace.js';
import { parseKeys, type Key } from '../input/keys.js';

/** Calls onKey for every key, with the number of the terminal read it came in (counted by
 * this listener: keys of one read share a number). */
export function useKeys(onKey: (key: Key, read: number) => void): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: events } = useStdin();
  const handler = useRef(onKey);
  handler.current = onKey;
  const reads = useRef(0);
  useLayoutEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (chunk: string | Buffer): void => {
      if (tracing) trace('input', { bytes: Buffer.byteLength(chunk) });
      reads.current += 1;
      for (const key of parseKeys(String(chunk))) handler.current(key, reads.current);
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [events, isRawModeSupported, setRawMode]);
}
