// The help screen, generated from the keymap table (the only place keys are defined).
import React from 'react';
import { Box, Text } from 'ink';
import { useServices } from './context.js';
import { fit } from './format.js';
import { bindingsFor, KEYMAP, type Binding } from './keymap.js';
import type { Mode } from './state/uiState.js';
import { Pane } from './Pane.js';

export function helpLines(bindings: readonly Binding[] = KEYMAP): string[] {
  const lines: string[] = [];
  for (const section of [...new Set(bindings.map((b) => b.section))]) {
    lines.push(section.toUpperCase());
    // A binding with no help is the other half of the one above it (k of j/k).
    for (const binding of bindings.filter((b) => b.section === section && b.help)) lines.push(`  ${fit(binding.label, 10)} ${binding.help}`);
  }
  return lines;
}

/** Rows of the help pane the lines get (borders and title take three). */
export function helpPage(height: number): number {
  return Math.max(1, height - 3);
}

export function Help({ width, height, scroll = 0 }: { width: number; height: number; scroll?: number }): React.JSX.Element {
  const { theme, info } = useServices();
  const lines = helpLines(bindingsFor(info.readOnly));
  const page = helpPage(height);
  const more = lines.length > page ? ` · j/k scroll (${scroll + 1}–${Math.min(lines.length, scroll + page)} of ${lines.length})` : '';
  return (
    <Pane width={width} height={height} focused>
      <Text bold color={theme.accent}>{fit(`HELP — Esc, ? or q closes${more}`, width - 2)}</Text>
      <Box flexDirection="column">
        {lines.slice(scroll, scroll + page).map((line, i) => (
          <Text key={scroll + i} wrap="truncate" bold={!line.startsWith(' ')}>{fit(line, width - 2)}</Text>
        ))}
      </Box>
    </Pane>
  );
}

/** Footer items kept at any width, at the end: how to learn the rest, and how to leave. */
const ALWAYS = new Set(['? help', 'q quit']);

/** The footer's short list of `mode`'s keys, from the same table: as many as fit `width`, in
 * order, and always `? help` and `q quit`. */
export function footerText(bindings: readonly Binding[] = KEYMAP, width = Infinity, mode: Mode = 'list'): string {
  const items = bindings.filter((b) => b.modes.includes(mode)).map((b) => b.footer).filter((f): f is string => Boolean(f));
  const kept = items.filter((item) => ALWAYS.has(item));
  let room = width - kept.join('  ').length;
  const shown: string[] = [];
  for (const item of items) {
    if (ALWAYS.has(item)) continue;
    if (item.length + 2 > room) break;
    shown.push(item);
    room -= item.length + 2;
  }
  return [...shown, ...kept].join('  ');
}
