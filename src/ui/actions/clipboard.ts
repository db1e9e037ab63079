// Copying to the clipboard of the terminal the user sits at, which over SSH is the only one
// that matters: OSC 52 (`ESC ] 52 ; c ; base64 BEL`) asks the terminal to set its clipboard;
// xterm, iTerm2, kitty, WezTerm, Windows Terminal and Alacritty honour it, and tmux passes it on
// (and keeps a paste buffer) with `set -g set-clipboard on`. The text is base64, so nothing in
// it can act as an escape sequence.
import type { AllocListStub } from '../../nomad/types.js';
import { label } from './eligibility.js';
import { sanitize } from '../format.js';

/** What a copy key puts on the clipboard, and how the result line names it. */
export interface Copy {
  text: string;
  what: string;
}

export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

/** `y`: the full allocation ID. */
export function copyId(alloc: AllocListStub): Copy {
  const id = sanitize(alloc.ID);
  return { text: id, what: `allocation ID ${id}` };
}

/** A word for a POSIX shell: as it is when it is plain, else single-quoted (an agent that is
 * not Nomad may send any name). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** `Y`: the nomad CLI command that shows this allocation, ready to paste. */
export function copyStatusCommand(alloc: AllocListStub): Copy {
  const namespace = sanitize(alloc.Namespace) || 'default';
  const text = `nomad alloc status -namespace=${shellWord(namespace)} ${shellWord(sanitize(alloc.ID))}`;
  return { text, what: `"${text}" (${label(alloc)})` };
}
