// A bordered box of fixed size whose children are one-line rows; the focused pane's border
// is highlighted and its title marked (▸), so focus shows without colour (NO_COLOR) too.
// Knows nothing of Nomad.
import React from 'react';
import { Box } from 'ink';
import { useServices } from './context.js';

export interface PaneProps {
  width: number;
  height: number;
  focused?: boolean;
  children: React.ReactNode;
}

export function Pane({ width, height, focused = false, children }: PaneProps): React.JSX.Element {
  const { theme } = useServices();
  return (
    <Box width={width} height={height} flexDirection="column" borderStyle="single" borderColor={focused ? theme.focusBorder : theme.border} overflow="hidden" flexShrink={0}>
      {children}
    </Box>
  );
}

/** A pane's title, marked when the pane has focus. */
export function paneTitle(text: string, focused: boolean): string {
  return focused ? `▸ ${text}` : text;
}
