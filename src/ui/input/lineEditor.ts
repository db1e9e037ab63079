// One line of text being edited, with readline's keys, for every text field (the filter lines
// and the prompts' text entry): characters insert at the cursor; Left/Right, Home/End and
// Ctrl-A/Ctrl-E move it; Backspace/Delete and Ctrl-H/Ctrl-D delete; Ctrl-U deletes to the start,
// Ctrl-K to the end, Ctrl-W the word before the cursor. Pure; the cursor counts code points.
import type { Key } from './keys.js';

export interface LineText {
  text: string;
  /** Code points before the cursor. */
  cursor: number;
}

export function lineAt(text: string): LineText {
  return { text, cursor: [...text].length };
}

/** The edited line, or undefined when the key is not an editing key (Enter, Esc, Tab …). */
export function editLine(line: LineText, key: Key): LineText | undefined {
  const points = [...line.text];
  const cursor = Math.min(Math.max(0, line.cursor), points.length);
  const at = (next: string[], position: number): LineText => ({ text: next.join(''), cursor: position });
  if (key.ctrl) {
    switch (key.char) {
      case 'a': return at(points, 0);
      case 'e': return at(points, points.length);
      case 'b': return at(points, Math.max(0, cursor - 1));
      case 'f': return at(points, Math.min(points.length, cursor + 1));
      case 'u': return at(points.slice(cursor), 0);
      case 'k': return at(points.slice(0, cursor), cursor);
      case 'h': return cursor > 0 ? at([...points.slice(0, cursor - 1), ...points.slice(cursor)], cursor - 1) : at(points, cursor);
      case 'd': return at([...points.slice(0, cursor), ...points.slice(cursor + 1)], cursor);
      case 'w': {
        let start = cursor;
        while (start > 0 && points[start - 1] === ' ') start--;
        while (start > 0 && points[start - 1] !== ' ') start--;
        return at([...points.slice(0, start), ...points.slice(cursor)], start);
      }
      default: return undefined;
    }
  }
  switch (key.name) {
    case 'char': return at([...points.slice(0, cursor), key.char, ...points.slice(cursor)], cursor + 1);
    case 'backspace': return cursor > 0 ? at([...points.slice(0, cursor - 1), ...points.slice(cursor)], cursor - 1) : at(points, cursor);
    case 'delete': return at([...points.slice(0, cursor), ...points.slice(cursor + 1)], cursor);
    case 'left': return at(points, Math.max(0, cursor - 1));
    case 'right': return at(points, Math.min(points.length, cursor + 1));
    case 'home': return at(points, 0);
    case 'end': return at(points, points.length);
    default: return undefined;
  }
}

/** The line as shown: a block cursor where the cursor is. */
export function showLine(line: LineText): string {
  const points = [...line.text];
  return `${points.slice(0, line.cursor).join('')}█${points.slice(line.cursor).join('')}`;
}
