// The row-caching Output gives exactly the frames Ink 6.6's own Output gives: the same
// operations (writes, clips, transformers) go to both, over many frames, and the strings
// must match byte for byte — including frames that reuse cached rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import InkOutput from '../../../node_modules/ink/build/output.js';
import Output from '../../../src/ui/render/output.js';
import { Prng } from '../../../src/sim/prng.js';

type Transformer = (line: string, index: number) => string;
type Op = ['write', number, number, string, Transformer[]] | ['clip', { x1?: number; x2?: number; y1?: number; y2?: number }] | ['unclip'];

function frame(Kind: typeof InkOutput | typeof Output, width: number, height: number, ops: Op[]): string {
  const output = new Kind({ width, height });
  for (const op of ops) {
    if (op[0] === 'write') output.write(op[1], op[2], op[3], { transformers: op[4] as never });
    else if (op[0] === 'clip') output.clip({ x1: op[1].x1, x2: op[1].x2, y1: op[1].y1, y2: op[1].y2 });
    else output.unclip();
  }
  const { output: text, height: h } = output.get();
  return `${h}|${text}`;
}

function same(width: number, height: number, ops: Op[]): void {
  assert.equal(frame(Output, width, height, ops), frame(InkOutput, width, height, ops));
}

const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const inverse = (s: string) => `\x1b[7m${s}\x1b[27m`;
const bold: Transformer = (line) => `\x1b[1m${line}\x1b[22m`;
const numbered: Transformer = (line, index) => `${index}:${line}`;

/** The simulator's seeded generator (mulberry32), as a function: a failure names a seed to replay. */
const prng = (seed: number): (() => number) => {
  const generator = new Prng(seed);
  return () => generator.next();
};

// Lines of only SGR codes and characters that are graphemes of their own take a quicker way
// than the rest (output.ts SIMPLE_LINE): pieces on both sides of that line, and on it.
const PIECES = ['running', 'web.api[3]', ' ', '│', '─', '日本', '🚀', 'é', 'a\u0301', '\t', red('failed'), inverse(' sel '), `\x1b[38;5;208mamber`, '\x1b[0m', '…', '\x1b]8;;http://x\x07link\x1b]8;;\x07', '✅', '⚠', '⚠\uFE0F', 'soft\u00adhyphen', '\x1b[1;31mbold red\x1b[22m', '\x1b[mplain', '███▂▃', '\x1b[2m↻ ✓ ✖\x1b[22m'];

function randomText(rand: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(rand() * 3);
  for (let l = 0; l < count; l++) {
    let line = '';
    const parts = Math.floor(rand() * 6);
    for (let p = 0; p < parts; p++) line += PIECES[Math.floor(rand() * PIECES.length)];
    lines.push(line);
  }
  return lines.join('\n');
}

function randomOps(rand: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  for (let i = 0; i < 25; i++) {
    const r = rand();
    if (r < 0.1) {
      ops.push(['clip', rand() < 0.5 ? { x1: Math.floor(rand() * width), x2: Math.floor(rand() * width) + 2, y1: Math.floor(rand() * height), y2: Math.floor(rand() * height) + 1 } : { x1: Math.floor(rand() * 10), x2: width - 3 }]);
      depth++;
    } else if (r < 0.15 && depth > 0) {
      ops.push(['unclip']);
      depth--;
    } else {
      const transformers = rand() < 0.2 ? [bold] : rand() < 0.1 ? [numbered, bold] : [];
      ops.push(['write', Math.floor(rand() * (width + 4)) - 2, Math.floor(rand() * (height + 2)) - 1, randomText(rand), transformers]);
    }
  }
  return ops;
}

describe('row-caching Output', () => {
  it('matches Ink on plain rows, borders, styles and an inverse selection', () => {
    same(40, 4, [
      ['write', 0, 0, '┌' + '─'.repeat(38) + '┐', []],
      ['write', 2, 1, `ID       JOB  ${red('failed')}`, []],
      ['write', 2, 2, inverse('9f1ce2a1 web  running      '), []],
      ['write', 0, 3, '└' + '─'.repeat(38) + '┘', [bold]],
    ]);
  });

  it('matches Ink on wide characters, emoji, combining marks and overlapping writes', () => {
    same(20, 3, [
      ['write', 0, 0, '日本語🚀 e\u0301', []],
      ['write', 3, 0, 'XY', []],
      ['write', 18, 1, '日本語', []],
      ['write', -1, 2, 'off the left edge', []],
    ]);
  });

  it('matches Ink on clipped writes, multi-line text and transformers with line indexes', () => {
    same(30, 6, [
      ['clip', { x1: 2, x2: 20, y1: 1, y2: 4 }],
      ['write', 0, 0, 'one\ntwo 日本\nthree\nfour\nfive\nsix', [numbered]],
      ['unclip'],
      ['clip', { x1: 5, x2: 12 }],
      ['write', 3, 5, red('clipped on both sides of the pane'), []],
      ['unclip'],
    ]);
  });

  it('matches Ink over random frames, and again when frames repeat or change one row', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      const width = 5 + Math.floor(rand() * 60);
      const height = 1 + Math.floor(rand() * 12);
      const ops = randomOps(rand, width, height);
      assert.equal(frame(Output, width, height, ops), frame(InkOutput, width, height, ops), `seed ${seed}`);
      // The same frame again (every row from the cache), then with one write changed.
      assert.equal(frame(Output, width, height, ops), frame(InkOutput, width, height, ops), `seed ${seed}, repeated`);
      const changed = ops.map((op): Op => (op[0] === 'write' && rand() < 0.2 ? ['write', op[1], op[2], `${op[3]}!`, op[4]] : op));
      assert.equal(frame(Output, width, height, changed), frame(InkOutput, width, height, changed), `seed ${seed}, changed`);
    }
  });

  it('does not reuse a row across different widths', () => {
    // Cells past the width are not padded, so a gap there closes up: the width changes the row.
    const ops: Op[] = [
      ['write', 0, 0, 'ab', []],
      ['write', 8, 0, 'yz', []],
    ];
    same(10, 1, ops);
    same(4, 1, ops);
    same(10, 1, ops);
  });

  it('keys rows so that texts holding the key\'s own separators never alias another row', () => {
    // Under a separator-only key these two rows were the same key: x=0 "A\u0000" + x=5 "\u0001B"
    // against x=0 "A" + x=5 "\u0001B"-like splits.
    same(12, 1, [['write', 0, 0, 'A\u00005\u0001B', []]]);
    same(12, 1, [['write', 0, 0, 'A', []], ['write', 5, 0, 'B', []]]);
    same(12, 1, [['write', 0, 0, 'A|5:1:B', []]]);
    same(12, 1, [['write', 0, 0, 'A', []], ['write', 5, 0, 'B', []]]);
  });

  it('lays printable ASCII rows as Ink does: overlaps, writes past the width, gaps there closing up', () => {
    same(10, 2, [['write', 0, 0, 'hello world', []], ['write', 3, 0, 'XY', []], ['write', 12, 1, 'far', []], ['write', 0, 1, 'ab', []]]);
    same(10, 1, [['write', 2, 0, 'plain', []], ['write', 4, 0, red('r'), []]]);
  });
});

