// A confirmation list as drawn: names what it will touch, the options with the highlighted one
// marked (Cancel first, highlighted on open), and the keys, from the keymap's prompt mode.
import React from 'react';
import { Text } from 'ink';
import { useServices } from '../context.js';
import { fit } from '../format.js';
import { footerText } from '../Help.js';
import { Pane } from '../Pane.js';
import { headLines, PromptHead } from './PromptHead.js';
import type { PromptOption } from './promptState.js';

export interface SelectPromptProps {
  width: number;
  height: number;
  title: string;
  /** What the action touches: allocation, job, namespace, region. */
  subject: readonly string[];
  options: readonly PromptOption[];
  highlight: number;
  /** While a request is in flight: shown instead of the keys. */
  busy?: string;
}

export function SelectPrompt({ width, height, title, subject, options, highlight, busy }: SelectPromptProps): React.JSX.Element {
  const { theme } = useServices();
  const inner = width - 2;
  const head = headLines(title, subject, inner);
  const room = Math.max(1, height - 3 - head.title.length - head.subject.length);
  const start = Math.max(0, Math.min(highlight - room + 1, options.length - room));
  return (
    <Pane width={width} height={height} focused>
      <PromptHead title={title} subject={subject} inner={inner} />
      {options.slice(start, start + room).map((option, i) => {
        const index = start + i;
        const highlighted = index === highlight;
        return (
          <Text key={`o${index}`} wrap="truncate" inverse={highlighted} color={highlighted && option.danger ? theme.danger : undefined}>
            {fit(`${highlighted ? '▸ ' : '  '}${option.label}`, inner)}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">{fit(busy ?? footerText(undefined, inner, 'prompt'), inner)}</Text>
    </Pane>
  );
}
