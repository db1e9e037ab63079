// The zoomed allocation (Enter): zoomView's lines, full screen, from the scroll offset down.
import React from 'react';
import { useServices } from '../context.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';
import { statusColour } from '../theme.js';
import type { ZoomLine } from './zoomView.js';

export interface AllocationZoomProps {
  lines: readonly ZoomLine[];
  scroll: number;
  width: number;
  height: number;
}

/** Rows of the pane the lines get (its borders and the title take three). */
export function zoomPage(height: number): number {
  return Math.max(1, height - 3);
}

export function AllocationZoom({ lines, scroll, width, height }: AllocationZoomProps): React.JSX.Element {
  const { theme } = useServices();
  const inner = width - 2;
  const [title, ...body] = lines;
  const page = zoomPage(height);
  const shown = body.slice(scroll, scroll + page);
  const more = body.length > page ? `  lines ${scroll + 1}–${Math.min(body.length, scroll + page)} of ${body.length}` : '';
  return (
    <Pane width={width} height={height} focused>
      <Line width={inner} bold color={theme.accent} text={paneTitle(`${title?.text ?? 'ALLOCATION'}${more}`, true)} />
      {shown.map((line, i) => (
        <Line
          key={scroll + i}
          width={inner}
          text={line.text}
          bold={line.tone === 'heading'}
          dim={line.tone === 'dim'}
          color={line.tone === 'status' ? statusColour(theme, line.status) : undefined}
        />
      ))}
    </Pane>
  );
}
