// Draws the whole last frame again, for when the terminal lost it (after fg, or after an exec
// session on the same terminal: the alternate screen comes back blank). Ink 6.8's clear() tells
// its log the frame is still on screen (log.sync), so a frame after it writes only the rows that
// changed; the one public path that writes every row is useStdout().write(), which clears the
// log and replays Ink's last frame whole (ink 6.8.0 build/ink.js, writeToStdout and
// restoreLastOutput). This component hands that out and draws nothing.
import { useStdout } from 'ink';
import { useEffect } from 'react';

export function RepaintBridge({ onReady }: { onReady: (repaint: () => void) => void }): null {
  const { write } = useStdout();
  useEffect(() => onReady(() => write('')), [write, onReady]);
  return null;
}
