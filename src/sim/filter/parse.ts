// Parser for the go-bexpr subset Nomad's `filter` accepts: ==, !=, is (not) empty, is (not) nil,
// (not) in, (not) contains, (not) matches; and, or, not, parentheses; dotted selectors and
// ["key"] map keys; values quoted with "..." or `...`, numbers, true/false, and bare words.

export type MatchOp = '==' | '!=' | 'is empty' | 'is not empty' | 'is nil' | 'is not nil' | 'in' | 'not in' | 'contains' | 'not contains' | 'matches' | 'not matches';

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'match'; selector: string[]; op: MatchOp; value?: string };

export class FilterSyntaxError extends Error {}

interface Token {
  type: 'word' | 'string' | 'op' | '(' | ')' | 'end';
  text: string;
  offset: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ type: c, text: c, offset: i }); i++; continue; }
    if (input.startsWith('==', i) || input.startsWith('!=', i)) { tokens.push({ type: 'op', text: input.slice(i, i + 2), offset: i }); i += 2; continue; }
    if (c === '"' || c === '`') {
      const start = i;
      let text = '';
      i++;
      while (i < input.length && input[i] !== c) {
        if (c === '"' && input[i] === '\\' && i + 1 < input.length) { text += input[i + 1]; i += 2; continue; }
        text += input[i];
        i++;
      }
      if (i >= input.length) throw syntaxError(input, start, 'a closing quote');
      i++;
      tokens.push({ type: 'string', text, offset: start });
      continue;
    }
    const word = /^[A-Za-z0-9_\-./:[\]"]+/.exec(input.slice(i));
    if (!word) throw syntaxError(input, i, 'a selector, value, operator or parenthesis');
    // A selector may carry ["quoted key"] parts: read up to the matching bracket.
    let text = '';
    let j = i;
    while (j < input.length && /[A-Za-z0-9_\-./:[]/.test(input[j] as string)) {
      if (input[j] === '[') {
        const close = input.indexOf(']', j);
        if (close === -1) throw syntaxError(input, j, '"]"');
        text += input.slice(j, close + 1);
        j = close + 1;
        continue;
      }
      text += input[j];
      j++;
    }
    tokens.push({ type: 'word', text, offset: i });
    i = j;
  }
  tokens.push({ type: 'end', text: '', offset: input.length });
  return tokens;
}

/** Mirrors pigeon's error text: `1:COL (OFFSET): no match found, expected: ...`. */
function syntaxError(input: string, offset: number, expected: string): FilterSyntaxError {
  const line = input.slice(0, offset).split('\n').length;
  const col = offset - input.lastIndexOf('\n', offset - 1);
  return new FilterSyntaxError(`${line}:${col} (${offset}): no match found, expected: ${expected}`);
}

function parseSelector(token: Token, input: string): string[] {
  const parts: string[] = [];
  const re = /([A-Za-z0-9_]+)|\[\s*"([^"]*)"\s*\]|\[\s*`([^`]*)`\s*\]|\./gy;
  let expectName = true;
  re.lastIndex = 0;
  while (re.lastIndex < token.text.length) {
    const m = re.exec(token.text);
    if (!m) throw syntaxError(input, token.offset, 'a selector');
    if (m[0] === '.') { expectName = true; continue; }
    const name = m[1] ?? m[2] ?? m[3] ?? '';
    if (m[1] !== undefined && !expectName) throw syntaxError(input, token.offset, 'a selector');
    parts.push(name);
    expectName = false;
  }
  if (parts.length === 0) throw syntaxError(input, token.offset, 'a selector');
  return parts;
}

export function parseFilter(input: string): Expr {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const isWord = (text: string, at = pos): boolean => tokens[at]?.type === 'word' && tokens[at]?.text === text;
  const next = (): Token => tokens[pos++] as Token;

  const value = (): string => {
    const token = next();
    if (token.type === 'string' || token.type === 'word') return token.text;
    throw syntaxError(input, token.offset, 'a value');
  };

  const primary = (): Expr => {
    const token = peek();
    if (token.type === '(') {
      next();
      const inner = orExpr();
      if (peek().type !== ')') throw syntaxError(input, peek().offset, '")"');
      next();
      return inner;
    }
    if (token.type === 'end') throw syntaxError(input, token.offset, 'an expression');
    // `"value" in Selector` / `"value" not in Selector`
    if (token.type === 'string' || (token.type === 'word' && (isWord('in', pos + 1) || (isWord('not', pos + 1) && isWord('in', pos + 2))))) {
      const v = value();
      const negated = isWord('not');
      if (negated) next();
      if (!isWord('in')) throw syntaxError(input, peek().offset, '"in"');
      next();
      const selectorToken = next();
      if (selectorToken.type !== 'word') throw syntaxError(input, selectorToken.offset, 'a selector');
      return { kind: 'match', selector: parseSelector(selectorToken, input), op: negated ? 'not in' : 'in', value: v };
    }
    if (token.type !== 'word') throw syntaxError(input, token.offset, 'a selector');
    next();
    const selector = parseSelector(token, input);
    const opToken = peek();
    if (opToken.type === 'op') {
      next();
      return { kind: 'match', selector, op: opToken.text as MatchOp, value: value() };
    }
    if (isWord('is')) {
      next();
      const negated = isWord('not');
      if (negated) next();
      const what = next();
      if (what.type !== 'word' || (what.text !== 'empty' && what.text !== 'nil')) throw syntaxError(input, what.offset, '"empty" or "nil"');
      return { kind: 'match', selector, op: `is ${negated ? 'not ' : ''}${what.text}` as MatchOp };
    }
    const negated = isWord('not');
    if (negated) next();
    if (isWord('contains') || isWord('matches')) {
      const op = next().text;
      return { kind: 'match', selector, op: `${negated ? 'not ' : ''}${op}` as MatchOp, value: value() };
    }
    throw syntaxError(input, peek().offset, '"!=", "==", "contains", "in", "is", "matches" or "not"');
  };

  const notExpr = (): Expr => {
    if (isWord('not') && !isWord('in', pos + 1)) {
      next();
      return { kind: 'not', operand: notExpr() };
    }
    return primary();
  };

  const andExpr = (): Expr => {
    let left = notExpr();
    while (isWord('and')) {
      next();
      left = { kind: 'and', left, right: notExpr() };
    }
    return left;
  };

  const orExpr = (): Expr => {
    let left = andExpr();
    while (isWord('or')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const expr = orExpr();
  if (peek().type !== 'end') throw syntaxError(input, peek().offset, '"and", "or" or end of input');
  return expr;
}
