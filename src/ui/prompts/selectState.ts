// A select list's state, fed key by key: the highlight moves with j/k/arrows, Enter chooses
// the highlighted option, Esc cancels. Keys that arrive in one read are applied in order, so
// Enter always acts on the option the keys before it highlighted — never a stale one — and
// nothing more happens after a choice or while a request is in flight.
import type { Key } from '../input/keys.js';

export interface SelectState {
  highlight: number;
  outcome: 'choosing' | 'chosen' | 'cancelled';
}

export const START: SelectState = { highlight: 0, outcome: 'choosing' };

export function reduceSelect(state: SelectState, key: Key, optionCount: number, busy = false): SelectState {
  if (state.outcome !== 'choosing' || busy || optionCount === 0) return state;
  const char = key.name === 'char' && !key.ctrl ? key.char : '';
  if (key.name === 'escape' || char === 'q') return { ...state, outcome: 'cancelled' };
  if (key.name === 'enter') return { ...state, outcome: 'chosen' };
  if (key.name === 'down' || char === 'j' || key.name === 'tab') return { ...state, highlight: Math.min(optionCount - 1, state.highlight + 1) };
  if (key.name === 'up' || char === 'k' || key.name === 'backtab') return { ...state, highlight: Math.max(0, state.highlight - 1) };
  if (key.name === 'home' || char === 'g') return { ...state, highlight: 0 };
  if (key.name === 'end' || char === 'G') return { ...state, highlight: optionCount - 1 };
  return state;
}
