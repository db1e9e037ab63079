// What the prompt keys do to the UI state (the keymap's `prompt` and `promptText` bindings, and
// s/r/S opening a prompt): open it on the marked allocations or the selected one, move its
// highlight, choose, submit its text line, cancel. The prompt's own steps are promptState.ts.
import type { AllocListStub } from '../../nomad/types.js';
import { refusal, type ActionKind } from '../actions/eligibility.js';
import { plural } from '../format.js';
import { markedAllocations } from '../state/marks.js';
import { selectedAlloc, type KeyContext, type UiState } from '../state/uiState.js';
import { choose, highlightTo, openPromptState, promptMode, submitText, type PromptState } from './promptState.js';

export const withPrompt = (state: UiState, prompt: PromptState): UiState => ({ ...state, prompt });

/** Esc in a prompt: nothing sent, and the result line says so. */
export function cancelPrompt(state: UiState): UiState {
  return { ...state, mode: 'list', prompt: undefined, result: { ok: true, text: `${state.prompt?.kind ?? 'action'} cancelled — nothing was sent` } };
}

/** Enter on the highlighted option: its next step, its request (sent by the App), or Cancel. */
export function choosePrompt(state: UiState, ctx: KeyContext): UiState {
  if (!state.prompt) return { ...state, mode: 'list' };
  const next = choose(state.prompt, ctx.read);
  if (!next) return cancelPrompt(state);
  return { ...state, mode: promptMode(next), prompt: next };
}

/** Enter on the prompt's text line (a typed signal, a typed count): on, or the refusal under it. */
export function submitPrompt(state: UiState, ctx: KeyContext): UiState {
  if (!state.prompt) return { ...state, mode: 'list' };
  const next = submitText(state.prompt, ctx.read);
  return { ...state, mode: promptMode(next), prompt: next };
}

export const movePrompt = (to: (at: number, count: number) => number) => (state: UiState): UiState => (state.prompt ? withPrompt(state, highlightTo(state.prompt, to)) : state);

/** Opens the action prompt on the marked allocations, or else on the selected one (as the keys
 * before this one left the selection); says why when Nomad would allow it on none. */
export function openPrompt(kind: ActionKind) {
  return (state: UiState, ctx: KeyContext): UiState => {
    const marked = markedAllocations(state, ctx.list);
    if (marked.length > 0) {
      const targets: AllocListStub[] = [];
      const skipped: { alloc: AllocListStub; reason: string }[] = [];
      for (const alloc of marked) {
        const reason = refusal(kind, alloc);
        if (reason) skipped.push({ alloc, reason });
        else targets.push(alloc);
      }
      const first = targets[0];
      if (!first) return { ...state, result: { ok: false, text: `none of the ${plural(marked.length, 'marked allocation')} allows ${kind}: ${skipped[0]?.reason ?? ''}` } };
      return { ...state, mode: 'prompt', prompt: openPromptState(kind, first, ctx.read, { targets, skipped }) };
    }
    const selected = selectedAlloc(state, ctx);
    const reason = refusal(kind, selected);
    if (reason || !selected) return { ...state, result: { ok: false, text: reason ?? 'no allocation selected' } };
    return { ...state, mode: 'prompt', prompt: openPromptState(kind, selected, ctx.read) };
  };
}
