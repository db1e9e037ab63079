// One terminal line, cut or padded to exactly `width` columns so it can never wrap.
import React from 'react';
import { Text } from 'ink';
import { fit } from './format.js';

export interface LineProps {
  width: number;
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export function Line({ width, text, color, bold, dim, inverse }: LineProps): React.JSX.Element {
  return (
    <Text wrap="truncate" color={color} bold={bold} dimColor={dim} inverse={inverse}>
      {fit(text, width)}
    </Text>
  );
}
