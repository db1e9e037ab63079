// A one-line text entry (used for "another signal"): Enter submits when valid, Esc cancels.
// Keys go through a pure reducer one by one, like the select list.
import React from 'react';
import { Text } from 'ink';
import { useServices } from '../context.js';
import { fit } from '../format.js';
import { useKeyReducer } from '../hooks/useKeyReducer.js';
import type { Key } from '../input/keys.js';
import { editLine, lineAt, showLine, type LineText } from '../input/lineEditor.js';
import { Pane } from '../Pane.js';
import { PromptHead } from './PromptHead.js';

export interface TextPromptProps {
  width: number;
  height: number;
  title: string;
  subject: readonly string[];
  /** An error message for the text, or undefined when it is acceptable. */
  validate: (text: string) => string | undefined;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}

interface TextState {
  draft: LineText;
  error: string | undefined;
  outcome: 'typing' | 'submitted' | 'cancelled';
}

export function reduceText(state: TextState, key: Key, validate: (text: string) => string | undefined): TextState {
  if (state.outcome !== 'typing') return state;
  if (key.name === 'escape') return { ...state, outcome: 'cancelled' };
  if (key.name === 'enter') {
    const error = validate(state.draft.text);
    return error ? { ...state, error } : { ...state, error: undefined, outcome: 'submitted' };
  }
  const draft = editLine(state.draft, key);
  return draft ? { ...state, draft } : state;
}

export function TextPrompt({ width, height, title, subject, validate, onSubmit, onCancel }: TextPromptProps): React.JSX.Element {
  const { theme } = useServices();
  const state = useKeyReducer(
    (s: TextState, key: Key) => reduceText(s, key, validate),
    { draft: lineAt(''), error: undefined, outcome: 'typing' } as TextState,
    (s) => s.outcome !== 'typing',
    (s) => (s.outcome === 'submitted' ? onSubmit(s.draft.text) : onCancel()),
  );
  const inner = width - 2;
  return (
    <Pane width={width} height={height} focused>
      <PromptHead title={title} subject={subject} inner={inner} />
      <Text wrap="truncate">{fit(`> ${showLine(state.draft)}`, inner)}</Text>
      <Text wrap="truncate" color={state.error ? theme.danger : undefined} dimColor={!state.error}>{fit(state.error ?? 'Enter continue · Esc cancel', inner)}</Text>
    </Pane>
  );
}
