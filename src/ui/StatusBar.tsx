// The top line: where alloctop is connected and how fresh what it shows is.
import React from 'react';
import { Text } from 'ink';
import { useServices } from './context.js';
import { connectionText } from './connectionText.js';
import { fit, sanitize } from './format.js';
import { useConnection } from './hooks/useConnection.js';

export function StatusBar({ width, namespace, now }: { width: number; namespace: string; now: number }): React.JSX.Element {
  const { info, theme } = useServices();
  const summary = useConnection();
  const connection = connectionText(summary, now);
  const colour = connection.tone === 'ok' ? theme.ok : connection.tone === 'warning' ? theme.warning : connection.tone === 'danger' ? theme.danger : theme.muted;
  const left = `alloctop │ ${sanitize(info.address)} │ ns:${sanitize(namespace)} │ region:${sanitize(info.region)}${info.readOnly ? ' │ read-only' : ''} │ `;
  const right = summary.status === 'live' || summary.index > 0
    ? ` │ idx ${summary.index} │ leader ${summary.knownLeader ? '✓' : '✗'}${summary.knownLeader ? '' : ` (${Math.round(summary.lastContact / 1000)}s)`}`
    : '';
  const room = Math.max(0, width - left.length - right.length);
  return (
    <Text wrap="truncate">
      <Text bold>{left}</Text>
      <Text color={colour}>{fit(connection.text, room)}</Text>
      <Text>{right}</Text>
    </Text>
  );
}
