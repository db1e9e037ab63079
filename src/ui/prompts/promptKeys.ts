// What the prompt keys do to the UI state (the keymap's `prompt` and `promptText` bindings, and
// s/r/S/x opening a prompt): open it on the marked allocations or the selected one (exec: the
// selected one only), move its highlight, choose, submit its text line, cancel. The prompt's
// own steps are promptState.ts.
import type { AllocListStub } from '../../nomad/types.js';
import { label, refusal, type ActionKind } from '../actions/eligibility.js';
import { plural, sanitize } from '../format.js';
import { markedAllocations } from '../state/marks.js';
import { selectedAlloc, type KeyContext, type UiState } from '../state/uiState.js';
import { choose, highlightTo, openExecState, openPromptState, promptMode, submitText, type PromptState } from './promptState.js';
import { commandText } from './execCommand.js';

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
  // The command an exec runs is offered first next time.
  const execCommand = next.send?.kind === 'exec' ? commandText(next.send.command) : state.execCommand;
  return { ...state, mode: promptMode(next), prompt: next, execCommand };
}

/** x: an exec session in the selected allocation — in the focused task when the detail has
 * focus on a running one, the only running task, or a choice of them; never on marks. */
export function openExec(state: UiState, ctx: KeyContext): UiState {
  const selected = selectedAlloc(state, ctx);
  const reason = refusal('exec', selected);
  if (reason || !selected) return { ...state, result: { ok: false, text: reason ?? 'no allocation selected' } };
  const running = selected.ID === ctx.detail.id ? ctx.detail.running : undefined;
  if (!running) return { ...state, result: { ok: false, text: `the tasks of ${label(selected)} are not known yet: press x again in a moment` } };
  if (running.length === 0) return { ...state, result: { ok: false, text: `cannot exec in ${label(selected)}: none of its tasks is running` } };
  const focused = state.focus === 'detail' ? ctx.detail.tasks?.[state.taskIndex] : undefined;
  if (focused !== undefined && !running.includes(focused)) return { ...state, result: { ok: false, text: `cannot exec in task ${sanitize(focused)}: it is not running (Tab to another task, or Esc for the list)` } };
  const task = focused ?? (running.length === 1 ? running[0] : undefined);
  const prompt = openExecState(selected, ctx.read, running, task, state.execCommand);
  return { ...state, mode: promptMode(prompt), prompt };
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
