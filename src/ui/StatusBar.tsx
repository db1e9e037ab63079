// The top line: how fresh what alloctop shows is (first, so it survives a narrow terminal),
// then what the list shows (namespace, the job it is narrowed to), where it is connected
// (address, region), index and leader.
import React from 'react';
import { Text } from 'ink';
import stringWidth from 'string-width';
import { useServices } from './context.js';
import { connectionText } from './connectionText.js';
import { clip, sanitize } from './format.js';
import { useConnection } from './hooks/useConnection.js';

/** `job`: the job row (namespace/job/group) the list is narrowed to, '' for none; `marked`:
 * how many allocations are marked. */
export function StatusBar({ width, namespace, job = '', marked = 0, now }: { width: number; namespace: string; job?: string; marked?: number; now: number }): React.JSX.Element {
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
  // What the list shows (namespace, job) before where it comes from: at 80 columns the address
  // is what gets cut.
  const middle = `${repaired} │ ns:${sanitize(namespace)}${job ? ` │ job:${sanitize(job)}` : ''}${marked ? ` │ ${marked} marked` : ''}${info.readOnly ? ' │ read-only' : ''} │ ${sanitize(info.address)} │ region:${sanitize(info.region)}`;
  return (
    <Text wrap="truncate">
      <Text bold>{head}</Text>
      <Text color={colour}>{state}</Text>
      <Text>{clip(middle, Math.max(0, room - stringWidth(state)))}</Text>
      <Text>{clip(right, Math.max(0, width - head.length - stringWidth(state)))}</Text>
    </Text>
  );
}
