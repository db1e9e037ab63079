// Pane sizes for a terminal size: side by side from 110 columns, stacked below that; the frame
// stays one line shorter than the terminal (a full-height frame makes Ink clear the screen on
// every update: flicker and lost tmux scrollback).

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
const WIDE_FROM = 110;
/** Stacked panes below this many rows leave the list 4 rows and the detail no events. */
const COMPACT_BELOW = 30;

export interface Rect {
  width: number;
  height: number;
}

export interface Layout {
  wide: boolean;
  /** Short terminals (fewer than COMPACT_BELOW rows, stacked): the list and a one-line summary
   * of the selection; Enter shows the rest full screen. No detail or services pane. */
  compact: boolean;
  frameHeight: number;
  list: Rect;
  /** Where overlays (help, namespace picker) go: the detail + services area. */
  side: Rect;
  detail: Rect;
  services: Rect;
}

/** What the list needs for ID, NAME (this long), STATUS, H, CHANGED and NODE, borders included. */
function listNeeds(nameLength: number): number {
  return 8 + Math.min(48, Math.max(14, nameLength)) + 13 + 1 + 8 + 12 + 5 + 2;
}

export function layoutFor(columns: number, rows: number, nameLength = 14): Layout | undefined {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return undefined;
  const frameHeight = rows - 1;
  const body = frameHeight - 2; // status bar above, footer below
  if (columns >= WIDE_FROM) {
    // Room for ID, NAME in full, STATUS, H, CHANGED and NODE before the side panes take theirs
    // (leaving them 46 columns at least).
    const listWidth = Math.max(Math.floor(columns * 0.52), Math.min(listNeeds(nameLength), columns - 46));
    const sideWidth = columns - listWidth;
    const servicesHeight = Math.min(9, Math.max(4, Math.floor(body * 0.28)));
    return {
      wide: true,
      compact: false,
      frameHeight,
      list: { width: listWidth, height: body },
      side: { width: sideWidth, height: body },
      detail: { width: sideWidth, height: body - servicesHeight },
      services: { width: sideWidth, height: servicesHeight },
    };
  }
  if (rows < COMPACT_BELOW) {
    return {
      wide: false,
      compact: true,
      frameHeight,
      list: { width: columns, height: body - 1 },
      side: { width: columns, height: body },
      detail: { width: columns, height: 0 },
      services: { width: columns, height: 0 },
    };
  }
  const servicesHeight = body >= 18 ? 4 : 3;
  const listHeight = Math.max(6, Math.floor(body * 0.42));
  const detailHeight = body - listHeight - servicesHeight;
  return {
    wide: false,
    compact: false,
    frameHeight,
    list: { width: columns, height: listHeight },
    side: { width: columns, height: body - listHeight },
    detail: { width: columns, height: detailHeight },
    services: { width: columns, height: servicesHeight },
  };
}
