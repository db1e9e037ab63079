// The namespace picker: namespaces from /v1/namespaces plus `*` (every namespace).
import React from 'react';
import { Text } from 'ink';
import { useServices } from './context.js';
import { fit, sanitize } from './format.js';
import { footerText } from './Help.js';
import { Pane } from './Pane.js';

export function NamespacePicker({ options, cursor, current, width, height, note }: { options: readonly string[]; cursor: number; current: string; width: number; height: number; note?: string }): React.JSX.Element {
  const { theme } = useServices();
  const room = Math.max(1, height - 3 - (note ? 1 : 0));
  const start = Math.max(0, Math.min(cursor - room + 1, options.length - room));
  return (
    <Pane width={width} height={height} focused>
      <Text bold color={theme.accent}>{fit(`NAMESPACE — ${footerText(undefined, Infinity, 'namespace')}`, width - 2)}</Text>
      {note ? <Text dimColor>{fit(note, width - 2)}</Text> : null}
      {options.slice(start, start + room).map((name, i) => (
        <Text key={name} wrap="truncate" inverse={start + i === cursor}>
          {fit(`${name === current ? '● ' : '  '}${name === '*' ? '* (all namespaces)' : sanitize(name)}`, width - 2)}
        </Text>
      ))}
    </Pane>
  );
}
