// The command typed in the exec prompt, as the words Nomad runs: a JSON array of strings
// (`["/bin/sh","-c","ls /local"]`, what the API takes), or words split as a shell would split
// them (`/bin/sh -c 'ls /local'`) with '…' and "…" quotes and backslash escapes, and no
// expansion — the remote side expands what it wants. Pure.

export const DEFAULT_EXEC_COMMAND = '/bin/sh';

export type ParsedCommand = { words: string[] } | { error: string };

export function parseExecCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'type a command, like /bin/sh or ["/bin/bash","-l"]' };
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { error: 'not a JSON array of strings: fix it, or type the words without brackets' };
    }
    if (!Array.isArray(value) || value.length === 0 || value.some((word) => typeof word !== 'string')) return { error: 'a command is a non-empty JSON array of strings, like ["/bin/sh"]' };
    return { words: value as string[] };
  }
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = '';
      else word += ch;
    } else if (ch === '\\' && i + 1 < trimmed.length && (quote === '' || '"\\$`'.includes(trimmed[i + 1] as string))) {
      word += trimmed[++i];
      started = true;
    } else if (quote === '"') {
      if (ch === '"') quote = '';
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (quote) return { error: `the ${quote === "'" ? 'single' : 'double'} quote is not closed` };
  if (started) words.push(word);
  return { words };
}

/** The command as the result line names it: its words joined, or the JSON when a word has a
 * space. */
export function commandText(words: readonly string[]): string {
  return words.some((word) => /\s|^$/.test(word)) ? JSON.stringify(words) : words.join(' ');
}
