// The UI state's one reducer: keys (through the keymap, each applied to the state the key
// before it left) and the few things that change it from outside a key — the selection pinned
// to the row drawn under the cursor, a prompt's running tasks arriving, its request's outcome,
// the section a zoom opens at appearing once its data is there, a bulk action's progress and
// end, marks of allocations the list no longer holds.
import { bulkSummary, type BulkReport } from './actions/bulkSend.js';
import type { Outcome } from './actions/outcome.js';
import { NO_MARKS, pruneMarks } from './state/marks.js';
import type { AllocListStub } from '../nomad/types.js';
import type { Key } from './input/keys.js';
import { reduceKey } from './keymap.js';
import { pin, type KeyContext, type UiState } from './state/uiState.js';

export type UiAction =
  | { key: Key; ctx: KeyContext }
  | { pin: string; cursor: number }
  | { promptDone: Outcome }
  | { promptRunning: readonly string[] }
  | { zoomAt: number }
  | { bulkProgress: { done: number; failed: number } }
  | { bulkDone: BulkReport }
  /** The list as it now is: marks of allocations it no longer holds go. Pruned against the
   * marks as they are when it is applied, not as an effect saw them: a Space pressed between
   * a render and its effect must not be undone (CI lost one that way under load). */
  | { pruneMarks: readonly AllocListStub[] }
  | { result: Outcome };

export function uiReducer(state: UiState, action: UiAction): UiState {
  if ('pin' in action) return pin(state, action.pin, action.cursor);
  // The zoom's section arrived with its data: it opens there (unless scrolled meanwhile).
  if ('zoomAt' in action) return state.zoom?.anchor ? { ...state, zoom: { id: state.zoom.id, scroll: action.zoomAt } } : state;
  if ('bulkProgress' in action) {
    const { prompt } = state;
    return prompt?.progress ? { ...state, prompt: { ...prompt, progress: { ...prompt.progress, ...action.bulkProgress } } } : state;
  }
  // A bulk action ended: the prompt closes, the result line sums it up, R opens the report;
  // the marks go (they were for this action).
  if ('bulkDone' in action) return { ...state, mode: 'list', prompt: undefined, report: action.bulkDone, result: { ok: action.bulkDone.items.every((item) => item.outcome.ok), text: bulkSummary(action.bulkDone) }, marks: NO_MARKS, markAnchor: undefined };
  if ('result' in action) return { ...state, result: action.result };
  if ('pruneMarks' in action) {
    const marks = pruneMarks(state.marks, action.pruneMarks);
    return marks === state.marks ? state : { ...state, marks };
  }
  if ('promptDone' in action) return { ...state, mode: 'list', prompt: undefined, result: action.promptDone };
  if ('promptRunning' in action) {
    const same = state.prompt?.running?.join('\0') === action.promptRunning.join('\0');
    return state.prompt && !same ? { ...state, prompt: { ...state.prompt, running: action.promptRunning } } : state;
  }
  return reduceKey(state, action.key, action.ctx);
}
