// The top line: how fresh what alloctop shows is (first, so it survives a narrow terminal),
// then where it is connected: address, namespace, region, index, leader.
import React from 'react';
import { Text } from 'ink';
import stringWidth from 'string-width';
import { useServices } from './context.js';
import { connectionText } from './connectionText.js';
import { clip, sanitize } from './format.js';
import { useConnection } from './hooks/useConnection.js';

export function StatusBar({ width, namespace, now }: { width: number; namespace: string; now: number }): React.JSX.Element {
  const { info, theme, client } = useServices();
  const summary = useConnection();
  const connection = connectionText(summary, now);
  const colour = connection.tone === 'ok' ? theme.ok : connection.tone === 'warning' ? theme.warning : connection.tone === 'danger' ? theme.danger : theme.muted;
  const head = 'alloctop │ ';
  // Index and leader are kept at any width: the connection state is cut before they are.
  const right = summary.index > 0 ? ` │ idx ${summary.index} │ leader ${summary.knownLeader ? '✓' : `✗ (${Math.round(summary.lastContact / 1000)}s)`}` : '';
  const room = Math.max(0, width - head.length - stringWidth(right));
  const state = clip(connection.text, room);
  // Said once it happens, and kept: the agent (or something before it) sends malformed data.
  const repaired = client.repairs.repaired ? ` │ ⚠ ${client.repairs.repaired} malformed values from the agent ignored` : '';
  const middle = `${repaired} │ ${sanitize(info.address)} │ ns:${sanitize(namespace)} │ region:${sanitize(info.region)}${info.readOnly ? ' │ read-only' : ''}`;
  return (
    <Text wrap="truncate">
      <Text bold>{head}</Text>
      <Text color={colour}>{state}</Text>
      <Text>{clip(middle, Math.max(0, room - stringWidth(state)))}</Text>
      <Text>{clip(right, Math.max(0, width - head.length - stringWidth(state)))}</Text>
    </Text>
  );
}
