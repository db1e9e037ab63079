// Raw-mode keyboard input, one call per key: every key of a terminal read, in order (see
// input/keys.ts for why Ink's useInput is not enough).
import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { parseKeys, type Key } from '../input/keys.js';

export function useKeys(onKey: (key: Key) => void): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: events } = useStdin();
  const handler = useRef(onKey);
  handler.current = onKey;
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (chunk: string | Buffer): void => {
      for (const key of parseKeys(String(chunk))) handler.current(key);
    };
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [events, isRawModeSupported, setRawMode]);
}
