// Pane sizes for a terminal size: side by side from 110 columns, stacked below that; the frame
// stays one line shorter than the terminal (a full-height frame makes Ink clear the screen on
// every update: flicker and lost tmux scrollback).

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
const WIDE_FROM = 110;

export interface Rect {
  width: number;
  height: number;
}

export interface Layout {
  wide: boolean;
  frameHeight: number;
  list: Rect;
  /** Where overlays (help, namespace picker) go: the detail + services area. */
  side: Rect;
  detail: Rect;
  services: Rect;
}

export function layoutFor(columns: number, rows: number): Layout | undefined {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return undefined;
  const frameHeight = rows - 1;
  const body = frameHeight - 2; // status bar above, footer below
  if (columns >= WIDE_FROM) {
    const listWidth = Math.floor(columns * 0.52);
    const sideWidth = columns - listWidth;
    const servicesHeight = Math.min(9, Math.max(4, Math.floor(body * 0.28)));
    return {
      wide: true,
      frameHeight,
      list: { width: listWidth, height: body },
      side: { width: sideWidth, height: body },
      detail: { width: sideWidth, height: body - servicesHeight },
      services: { width: sideWidth, height: servicesHeight },
    };
  }
  const servicesHeight = body >= 18 ? 4 : 3;
  const listHeight = Math.max(6, Math.floor(body * 0.42));
  const detailHeight = body - listHeight - servicesHeight;
  return {
    wide: false,
    frameHeight,
    list: { width: columns, height: listHeight },
    side: { width: columns, height: body - listHeight },
    detail: { width: columns, height: detailHeight },
    services: { width: columns, height: servicesHeight },
  };
}
