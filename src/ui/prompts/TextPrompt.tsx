// A one-line text entry as drawn (used for "another signal"): the line with its cursor, and
// why Enter refused it or the keys, from the keymap's promptText mode.
import React from 'react';
import { Text } from 'ink';
import { useServices } from '../context.js';
import { fit } from '../format.js';
import { footerText } from '../Help.js';
import { showLine, type LineText } from '../input/lineEditor.js';
import { Pane } from '../Pane.js';
import { PromptHead } from './PromptHead.js';

export interface TextPromptProps {
  width: number;
  height: number;
  title: string;
  subject: readonly string[];
  draft: LineText;
  /** Why Enter refused the text. */
  error: string | undefined;
  /** While the request it confirmed is in flight: shown instead of the keys. */
  busy?: string;
}

export function TextPrompt({ width, height, title, subject, draft, error, busy }: TextPromptProps): React.JSX.Element {
  const { theme } = useServices();
  const inner = width - 2;
  return (
    <Pane width={width} height={height} focused>
      <PromptHead title={title} subject={subject} inner={inner} />
      <Text wrap="truncate">{fit(`> ${showLine(draft)}`, inner)}</Text>
      <Text wrap="truncate" color={error ? theme.danger : undefined} dimColor={!error}>{fit(busy ?? error ?? footerText(undefined, inner, 'promptText'), inner)}</Text>
    </Pane>
  );
}
