// A prompt's state fed key by key through a pure reducer, and its outcome reported once: the
// shape both prompts share (select list, text entry).
import { useEffect, useReducer, useRef } from 'react';
import type { Key } from '../input/keys.js';
import { useKeys } from './useKeys.js';

/** Dispatches every key to `reduce`; calls `onSettled(state)` once, when `settled(state)`. */
export function useKeyReducer<S>(reduce: (state: S, key: Key) => S, initial: S, settled: (state: S) => boolean, onSettled: (state: S) => void): S {
  const [state, dispatch] = useReducer(reduce, initial);
  useKeys((key) => dispatch(key));
  const reported = useRef(false);
  useEffect(() => {
    if (reported.current || !settled(state)) return;
    reported.current = true;
    onSettled(state);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return state;
}
