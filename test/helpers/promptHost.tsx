// Hosts an action prompt as the App does, without the rest of the screen: the UI reducer fed
// by the key listener (so the keymap moves the prompt), the prompt component drawing it and
// sending its request. Reports what closed it: the result line the App would show.
import React, { useCallback, useEffect, useReducer } from 'react';
import { Text } from 'ink';
import type { AllocListStub } from '../../src/nomad/types.js';
import type { ActionKind } from '../../src/ui/actions/eligibility.js';
import type { BulkReport } from '../../src/ui/actions/bulkSend.js';
import type { Outcome } from '../../src/ui/actions/outcome.js';
import { useKeys } from '../../src/ui/hooks/useKeys.js';
import { ActionPrompt } from '../../src/ui/prompts/ActionPrompt.js';
import { openPromptState } from '../../src/ui/prompts/promptState.js';
import { initialUiState, type KeyContext } from '../../src/ui/state/uiState.js';
import { NO_LOG_CONTEXT } from '../../src/ui/logs/logState.js';
import { uiReducer } from '../../src/ui/uiReducer.js';

const CTX: Omit<KeyContext, 'read'> = { list: [], pageSize: 1, namespaces: [], detail: { id: undefined, taskCount: 0 }, readOnly: false, zoom: { lines: 0, page: 1, previous: undefined, next: undefined }, sortable: [], servicesShown: false, help: { lines: 0, page: 1 }, report: { lines: 0, page: 1 }, logs: NO_LOG_CONTEXT };

export function PromptHost({ kind, alloc, onClosed }: { kind: ActionKind; alloc: AllocListStub; onClosed: (result: Outcome | undefined) => void }): React.JSX.Element {
  // Opened by read 0: the first write the test makes is read 1, seen by the user.
  const [state, dispatch] = useReducer(uiReducer, undefined, () => ({ ...initialUiState('default'), mode: 'prompt' as const, prompt: openPromptState(kind, alloc, 0) }));
  useKeys((key, read) => dispatch({ key, ctx: { ...CTX, read } }));
  const onRunning = useCallback((running: readonly string[]) => dispatch({ promptRunning: running }), []);
  const onDone = useCallback((outcome: Outcome) => dispatch({ promptDone: outcome }), []);
  const onProgress = useCallback((progress: { done: number; failed: number }) => dispatch({ bulkProgress: progress }), []);
  const onBulkDone = useCallback((report: BulkReport) => dispatch({ bulkDone: report }), []);
  const closed = !state.prompt;
  useEffect(() => {
    if (closed) onClosed(state.result);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [closed]);
  if (!state.prompt) return <Text>closed</Text>;
  return <ActionPrompt prompt={state.prompt} width={80} height={16} onRunning={onRunning} onDone={onDone} onProgress={onProgress} onBulkDone={onBulkDone} />;
}
