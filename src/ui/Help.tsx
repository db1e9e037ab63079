// The help screen, generated from the keymap table (the only place keys are defined).
import React from 'react';
import { Box, Text } from 'ink';
import { useServices } from './context.js';
import { fit } from './format.js';
import { bindingsFor, KEYMAP, type Binding } from './keymap.js';
import { Pane } from './Pane.js';

export function helpLines(bindings: readonly Binding[] = KEYMAP): string[] {
  const lines: string[] = [];
  for (const section of [...new Set(bindings.map((b) => b.section))]) {
    lines.push(section.toUpperCase());
    for (const binding of bindings.filter((b) => b.section === section)) lines.push(`  ${fit(binding.label, 10)} ${binding.help}`);
  }
  return lines;
}

export function Help({ width, height }: { width: number; height: number }): React.JSX.Element {
  const { theme, info } = useServices();
  const bindings = bindingsFor(info.readOnly);
  const lines = helpLines(bindings);
  return (
    <Pane width={width} height={height} focused>
      <Text bold color={theme.accent}>{fit('HELP — Esc, ? or q closes', width - 2)}</Text>
      <Box flexDirection="column">
        {lines.slice(0, Math.max(0, height - 3)).map((line, i) => (
          <Text key={i} wrap="truncate" bold={!line.startsWith(' ')}>{fit(line, width - 2)}</Text>
        ))}
      </Box>
    </Pane>
  );
}

/** The footer's short list of keys, from the same table. */
export function footerText(bindings: readonly Binding[] = KEYMAP): string {
  return bindings.filter((b) => b.footer).map((b) => b.footer).join('  ');
}
