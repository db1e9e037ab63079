// A confirmation list: names what it will touch, Cancel first and highlighted on open, Enter
// chooses, Esc cancels. Keys go through reduceSelect one by one (see selectState.ts).
import React, { useRef } from 'react';
import { Text } from 'ink';
import { useServices } from '../context.js';
import { fit } from '../format.js';
import { useKeyReducer } from '../hooks/useKeyReducer.js';
import type { Key } from '../input/keys.js';
import { Pane } from '../Pane.js';
import { headLines, PromptHead } from './PromptHead.js';
import { reduceSelect, START, type SelectState } from './selectState.js';

export interface SelectOption {
  label: string;
  /** Destructive: drawn in the danger colour when highlighted. */
  danger?: boolean;
}

export interface SelectPromptProps {
  width: number;
  height: number;
  title: string;
  /** What the action touches: allocation, job, namespace, region. */
  subject: readonly string[];
  options: readonly SelectOption[];
  /** While a request is in flight: shown, and every key but Ctrl-C is ignored. */
  busy?: string;
  onChoose: (index: number) => void;
  onCancel: () => void;
}

export function SelectPrompt({ width, height, title, subject, options, busy, onChoose, onCancel }: SelectPromptProps): React.JSX.Element {
  const { theme } = useServices();
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const state = useKeyReducer(
    (s: SelectState, key: Key) => reduceSelect(s, key, options.length, Boolean(busyRef.current)),
    START,
    (s) => s.outcome !== 'choosing',
    (s) => (s.outcome === 'chosen' ? onChoose(s.highlight) : onCancel()),
  );
  const inner = width - 2;
  const head = headLines(title, subject, inner);
  const room = Math.max(1, height - 3 - head.title.length - head.subject.length);
  const start = Math.max(0, Math.min(state.highlight - room + 1, options.length - room));
  return (
    <Pane width={width} height={height} focused>
      <PromptHead title={title} subject={subject} inner={inner} />
      {options.slice(start, start + room).map((option, i) => {
        const index = start + i;
        const highlighted = index === state.highlight;
        return (
          <Text key={`o${index}`} wrap="truncate" inverse={highlighted} color={highlighted && option.danger ? theme.danger : undefined}>
            {fit(`${highlighted ? '▸ ' : '  '}${option.label}`, inner)}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">{fit(busy ?? 'j/k move · Enter choose · Esc cancel', inner)}</Text>
    </Pane>
  );
}
