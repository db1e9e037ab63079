// Splits one raw terminal read into keys. Ink hands a whole read to one parser, so "jjj" or
// Down+Enter typed fast (or pasted over SSH) would arrive as one garbled key; here every key
// in the read is returned, in order, so each acts on the state the one before it left.

export type KeyName =
  | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end'
  | 'enter' | 'escape' | 'tab' | 'backtab' | 'backspace' | 'delete' | 'char';

export interface Key {
  name: KeyName;
  /** The character for 'char' keys (one code point; ctrl keys give the letter). */
  char: string;
  ctrl: boolean;
}

const SEQUENCES: Record<string, KeyName> = {
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left',
  OA: 'up', OB: 'down', OC: 'right', OD: 'left',
  '[5~': 'pageup', '[6~': 'pagedown',
  '[H': 'home', '[F': 'end', OH: 'home', OF: 'end', '[1~': 'home', '[4~': 'end', '[7~': 'home', '[8~': 'end',
  '[3~': 'delete', '[Z': 'backtab',
};

const key = (name: KeyName, char = '', ctrl = false): Key => ({ name, char, ctrl });

export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i] as string;
    if (c === '\x1b') {
      const rest = chunk.slice(i + 1);
      // CSI / SS3: ESC [ params final, or ESC O letter.
      const m = /^(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(rest);
      if (m) {
        const body = m[1] as string;
        // Modified arrows (ESC [1;5A) map to the plain key.
        const plain = body.replace(/^\[1;\d+([A-Z])$/, '[$1');
        const name = SEQUENCES[plain];
        if (name) keys.push(key(name));
        i += 1 + body.length;
        continue;
      }
      keys.push(key('escape'));
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') keys.push(key('enter'));
    else if (c === '\t') keys.push(key('tab'));
    else if (c === '\x7f' || c === '\b') keys.push(key('backspace'));
    else if (c < ' ') keys.push(key('char', String.fromCharCode(c.charCodeAt(0) + 96), true));
    else {
      const point = String.fromCodePoint(chunk.codePointAt(i) ?? 0);
      keys.push(key('char', point));
      i += point.length;
      continue;
    }
    i += 1;
  }
  return keys;
}

/** An escape sequence cut short at the end of a read (ESC, ESC [, ESC [ 1 ;, ESC O): the rest
 * may come in the next read. */
const UNFINISHED = /\x1b(\[[0-9;]*|O)?$/;

/** The keys of a read, and what it ends with that may be the start of a key still arriving.
 * A terminal, ssh or tmux may split one escape sequence across reads: Down read as ESC then
 * "[B" would be Esc, "[" and "B". */
export function splitKeys(chunk: string): { keys: Key[]; rest: string } {
  const unfinished = UNFINISHED.exec(chunk);
  if (!unfinished) return { keys: parseKeys(chunk), rest: '' };
  return { keys: parseKeys(chunk.slice(0, unfinished.index)), rest: unfinished[0] };
}
