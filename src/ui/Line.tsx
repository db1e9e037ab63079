// One terminal line, cut to `width` columns so it can never wrap. Only an inverse line is padded
// (its highlight spans the pane); padding the others would only give Ink more text to draw. A
// blank line still takes its row.
import React from 'react';
import { Text } from 'ink';
import { clip, fit } from './format.js';

export interface LineProps {
  width: number;
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export function Line({ width, text, color, bold, dim, inverse }: LineProps): React.JSX.Element {
  // Ink draws an empty Text as no row at all: a blank line must hold a space to take its row.
  if (text === '') text = ' ';
  return (
    <Text wrap="truncate" color={color} bold={bold} dimColor={dim} inverse={inverse}>
      {inverse ? fit(text, width) : clip(text, width)}
    </Text>
  );
}
