// The exec session's way out that the remote side cannot swallow: `~.` at the start of a line
// (after Enter, or first thing), as ssh and `nomad alloc exec` have it (helper/escapingio:
// `~~` sends one `~`, `~` before anything else is sent as typed, with what follows). Fed the
// keys as they arrive, it says what to send on and whether `~.` was typed. Pure.

export class EscapeHatch {
  private at: 'lineStart' | 'inLine' | 'tilde' = 'lineStart';

  constructor(private readonly char = '~') {}

  feed(input: string): { send: string; hatch: boolean } {
    let send = '';
    for (const ch of input) {
      if (this.at === 'tilde') {
        if (ch === '.') return { send, hatch: true };
        if (ch === this.char) {
          send += ch;
          this.at = 'inLine';
          continue;
        }
        send += this.char + ch;
        this.at = ch === '\r' || ch === '\n' ? 'lineStart' : 'inLine';
        continue;
      }
      if (this.at === 'lineStart' && ch === this.char) {
        this.at = 'tilde';
        continue;
      }
      send += ch;
      this.at = ch === '\r' || ch === '\n' ? 'lineStart' : 'inLine';
    }
    return { send, hatch: false };
  }
}
