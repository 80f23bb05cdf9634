/**
 * The expression parser (SPEC 2.4). A hand-written lexer and recursive-descent parser:
 *
 *   or         := and ('||' and)*
 *   and        := not ('&&' not)*
 *   not        := '!' not | comparison
 *   comparison := postfix (('==' | '!=' | '<' | '<=' | '>' | '>=') postfix)?     -- non-associative
 *   postfix    := primary ('.' name | '[' (integer | string) ']' | '[*]')*
 *               | identifier '(' (or (',' or)*)? ')' ('.' name | '[' ... ']' | '[*]')*     -- calls only on a bare name
 *   primary    := string | number | 'true' | 'false' | 'null' | identifier | '(' or ')'
 *
 * `!` binds looser than comparisons, so `!a == b` is `!(a == b)` (like Python's `not`).
 * `list[*].a.b` (one `[*]` per path) reads `.a.b` of every element: it parses as
 * `map_each(list, item.a.b)`, marked `wildcard`.
 * The parser never throws: the first syntax error becomes one located diagnostic and the
 * result is `{ kind: 'invalid' }`.
 */
import type { Diagnostic } from '../diagnostics';
import { span as mkSpan, type Span } from '../source';
import type { BinaryOp, Expr } from './ast';
import { exprDiag, where } from './diag';
import type { TextOrigin } from './origin';

/** Deeper nesting than this is refused (MAPC0313) rather than risking a stack overflow downstream. */
export const MAX_EXPR_DEPTH = 64;

/** More binary operators than this in one expression are refused (MAPC0313). */
export const MAX_BINARY_OPERATORS = 256;

type TokKind = 'ident' | 'number' | 'string' | 'op' | 'eof';

interface Token {
  readonly kind: TokKind;
  /** identifier name, operator text, or the decoded string/number. */
  readonly value: string | number;
  readonly start: number;
  readonly end: number;
}

/** Thrown only inside this module and always caught by `parseExpr`. */
class SyntaxFailure {
  constructor(readonly diagnostic: Diagnostic) {}
}

const OPERATORS = ['[*]', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '.', '[', ']', '(', ')', ','];
const COMPARISONS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function describe(t: Token, text: string): string {
  if (t.kind === 'eof') return 'end of expression';
  return `'${text.slice(t.start, t.end)}'`;
}

class Parser {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private depth = 0;
  private binaries = 0;

  constructor(
    private readonly text: string,
    private readonly origin: TextOrigin,
  ) {}

  /** Span of text indices [start, end) mapped into the YAML file. */
  span(start: number, end: number): Span {
    return mkSpan(this.origin.file, this.origin.offset(start), this.origin.offset(end));
  }

  fail(start: number, end: number, message: string, hint?: string): never {
    throw new SyntaxFailure(exprDiag('MAPC0300', this.span(start, end), message, hint));
  }

  // ---- lexer -------------------------------------------------------------------------------

  lex(): void {
    const s = this.text;
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++;
        continue;
      }
      const start = i;
      if (isIdentStart(c)) {
        while (i < s.length && isIdentPart(s[i]!)) i++;
        this.tokens.push({ kind: 'ident', value: s.slice(start, i), start, end: i });
        continue;
      }
      if (isDigit(c) || (c === '-' && isDigit(s[i + 1] ?? ''))) {
        i = this.lexNumber(start);
        continue;
      }
      if (c === "'") {
        i = this.lexString(start);
        continue;
      }
      const op = OPERATORS.find((o) => s.startsWith(o, i));
      if (op) {
        this.tokens.push({ kind: 'op', value: op, start, end: i + op.length });
        i += op.length;
        continue;
      }
      if (c === '"') this.fail(start, start + 1, "strings are written in single quotes", "write 'text', e.g. from: \"'premium'\"");
      if (c === '=') this.fail(start, start + 1, "unexpected '='", "compare with '=='");
      if (c === '&' || c === '|') this.fail(start, start + 1, `unexpected '${c}'`, `use '${c}${c}'`);
      if (c === '-') this.fail(start, start + 1, "unexpected '-'", 'arithmetic is not part of the language; a negative number is written -5');
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      this.fail(start, start + ch.length, `unexpected character '${ch}'`);
    }
    this.tokens.push({ kind: 'eof', value: '', start: s.length, end: s.length });
  }

  private lexNumber(start: number): number {
    const s = this.text;
    let i = start;
    if (s[i] === '-') i++;
    while (i < s.length && isDigit(s[i]!)) i++;
    if (s[i] === '.' && isDigit(s[i + 1] ?? '')) {
      i++;
      while (i < s.length && isDigit(s[i]!)) i++;
    }
    if (i < s.length && (isIdentStart(s[i]!) || (s[i] === '.' && !isIdentStart(s[i + 1] ?? '')))) {
      this.fail(start, i + 1, `malformed number '${s.slice(start, i + 1)}'`, 'numbers are written like 42, -3 or 0.5');
    }
    this.tokens.push({ kind: 'number', value: Number(s.slice(start, i)), start, end: i });
    return i;
  }

  private lexString(start: number): number {
    const s = this.text;
    let i = start + 1;
    let out = '';
    for (;;) {
      if (i >= s.length) {
        this.fail(start, s.length, `unterminated string starting at ${where(this.span(start, start + 1))}`, "close it with '");
      }
      const c = s[i]!;
      if (c === "'") {
        this.tokens.push({ kind: 'string', value: out, start, end: i + 1 });
        return i + 1;
      }
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = s[i + 1];
      switch (e) {
        case "'":
          out += "'";
          break;
        case '\\':
          out += '\\';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.fail(i, Math.min(s.length, i + 6), "'\\u' must be followed by four hex digits", 'e.g. \\u00e9');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          this.fail(i, Math.min(s.length, i + 2), `unknown escape '\\${e ?? ''}'`, "escapes are \\' \\\\ \\n \\t \\uXXXX");
      }
      i += 2;
    }
  }

  // ---- parser ------------------------------------------------------------------------------

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === op;
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_EXPR_DEPTH) {
      throw new SyntaxFailure(
        exprDiag('MAPC0313', this.span(t.start, t.end), `expression nested more than ${MAX_EXPR_DEPTH} levels deep`, 'split it into lookups or fields'),
      );
    }
  }
  private leave(): void {
    this.depth--;
  }

  parseAll(): Expr {
    this.lex();
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      const hint = t.kind === 'op' && t.value === '(' ? 'only library functions can be called, by their bare name: lower(x)' : undefined;
      this.fail(t.start, t.end, `expected an operator or end of expression, found ${describe(t, this.text)}`, hint);
    }
    return e;
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, start: number, end: number): Expr {
    // `a || b || ...` builds a left-deep tree: bound it like nesting, for recursive consumers.
    if (++this.binaries > MAX_BINARY_OPERATORS) {
      throw new SyntaxFailure(exprDiag('MAPC0313', this.span(start, end), `more than ${MAX_BINARY_OPERATORS} operators in one expression`, 'split it into lookups or fields'));
    }
    return { kind: 'binary', op, left, right, span: this.span(start, end) };
  }

  private parseOr(): Expr {
    const startTok = this.peek();
    let left = this.parseAnd();
    while (this.isOp('||')) {
      this.next();
      const right = this.parseAnd();
      left = this.binary('||', left, right, startTok.start, this.tokens[this.pos - 1]!.end);
    }
    return left;
  }

  private parseAnd(): Expr {
    const startTok = this.peek();
    let left = this.parseNot();
    while (this.isOp('&&')) {
      this.next();
      const right = this.parseNot();
      left = this.binary('&&', left, right, startTok.start, this.tokens[this.pos - 1]!.end);
    }
    return left;
  }

  private parseNot(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '!') {
      this.next();
      this.enter(t);
      const operand = this.parseNot();
      this.leave();
      return { kind: 'unary', op: '!', operand, span: this.span(t.start, this.tokens[this.pos - 1]!.end) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const startTok = this.peek();
    const left = this.parsePostfix();
    const opTok = this.peek();
    if (opTok.kind !== 'op' || !COMPARISONS.includes(opTok.value as string)) return left;
    this.next();
    const right = this.parsePostfix(opTok);
    const after = this.peek();
    if (after.kind === 'op' && COMPARISONS.includes(after.value as string)) {
      this.fail(after.start, after.end, `comparisons do not chain: unexpected ${describe(after, this.text)} after a comparison`, 'combine comparisons with && or use parentheses');
    }
    return this.binary(opTok.value as BinaryOp, left, right, startTok.start, this.tokens[this.pos - 1]!.end);
  }

  /** `after` is the operator this operand follows, for a better message on `a == !b`. */
  private parsePostfix(after?: Token): Expr {
    const first = this.peek();
    if (after && first.kind === 'op' && first.value === '!') {
      this.fail(first.start, first.end, `'!' cannot follow '${after.value as string}' directly`, `'!' binds looser than comparisons: write (!x) in parentheses`);
    }
    let e = this.parsePrimary(after);
    let links = 0;
    // `list[*]...`: the list, and the `[*]` token; the chain after it reads from `item`.
    let wildcard: { list: Expr; tok: Token } | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') break;
      if (t.value === '[*]') {
        if (wildcard) {
          this.fail(t.start, t.end, `only one '[*]' per path: '${this.text.slice(first.start, t.end)}'`, `flatten the first level, e.g. flatten(${this.text.slice(first.start, t.start)})[*]...`);
        }
        this.next();
        wildcard = { list: e, tok: t };
        e = { kind: 'root', name: 'item', span: this.span(t.start, t.end) };
        if (++links > MAX_EXPR_DEPTH) {
          throw new SyntaxFailure(exprDiag('MAPC0313', this.span(first.start, t.end), `path longer than ${MAX_EXPR_DEPTH} segments`));
        }
        continue;
      }
      if (t.value === '(') {
        if (e.kind === 'root' && links === 0) {
          e = this.parseCall(e.name, first);
          links++;
          continue;
        }
        this.fail(t.start, t.end, `only library functions can be called: '${this.text.slice(first.start, t.start)}' is not a function name`, 'call functions by their bare name: lower(user.email)');
      }
      if (t.value === '.') {
        this.next();
        const k = this.next();
        // Keywords are fine as keys (`x.null`); anything else after '.' is an error.
        if (k.kind !== 'ident') this.fail(k.start, k.end, `expected a field name after '.', found ${describe(k, this.text)}`, "for unusual keys write x['key']");
        e = { kind: 'member', object: e, key: k.value as string, keySpan: this.span(k.start, k.end), span: this.span(first.start, k.end) };
      } else if (t.value === '[') {
        this.next();
        const k = this.next();
        let key: string | number;
        if (k.kind === 'string') key = k.value as string;
        else if (k.kind === 'number' && Number.isInteger(k.value) && (k.value as number) >= 0 && !this.text.slice(k.start, k.end).includes('.')) key = k.value as number;
        else this.fail(k.start, k.end, `expected an index (0, 1, ...) or a 'key' inside '[ ]', found ${describe(k, this.text)}`);
        const close = this.next();
        if (close.kind !== 'op' || close.value !== ']') {
          this.fail(close.start, close.end, `expected ']' to close '[' at ${where(this.span(t.start, t.end))}, found ${describe(close, this.text)}`);
        }
        e = { kind: 'member', object: e, key, keySpan: this.span(k.start, k.end), span: this.span(first.start, close.end) };
      } else break;
      // A long member chain is as deep as nested parentheses for every recursive consumer.
      if (++links > MAX_EXPR_DEPTH) {
        throw new SyntaxFailure(exprDiag('MAPC0313', this.span(first.start, t.end), `path longer than ${MAX_EXPR_DEPTH} segments`));
      }
    }
    if (wildcard) {
      const end = this.tokens[this.pos - 1]!.end;
      return { kind: 'call', name: 'map_each', nameSpan: this.span(wildcard.tok.start, wildcard.tok.end), args: [wildcard.list, e], span: this.span(first.start, end), wildcard: true };
    }
    return e;
  }

  private parseCall(name: string, nameTok: Token): Expr {
    const open = this.next();
    this.enter(open);
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.parseOr());
        if (this.isOp(',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    const close = this.next();
    if (close.kind !== 'op' || close.value !== ')') {
      this.fail(close.start, close.end, `expected ',' or ')' to close '${name}(' at ${where(this.span(open.start, open.end))}, found ${describe(close, this.text)}`);
    }
    this.leave();
    return { kind: 'call', name, nameSpan: this.span(nameTok.start, nameTok.end), args, span: this.span(nameTok.start, close.end) };
  }

  private parsePrimary(after?: Token): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: t.value, span: this.span(t.start, t.end) };
      case 'ident': {
        const name = t.value as string;
        if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', span: this.span(t.start, t.end) };
        if (name === 'null') return { kind: 'literal', value: null, span: this.span(t.start, t.end) };
        return { kind: 'root', name, span: this.span(t.start, t.end) };
      }
      case 'op':
        if (t.value === '(') {
          this.enter(t);
          const inner = this.parseOr();
          const close = this.next();
          if (close.kind !== 'op' || close.value !== ')') {
            this.fail(close.start, close.end, `expected ')' to close '(' at ${where(this.span(t.start, t.end))}, found ${describe(close, this.text)}`);
          }
          this.leave();
          return inner;
        }
        break;
      case 'eof':
        break;
    }
    const what = after ? `after '${after.value as string}'` : '';
    this.fail(t.start, t.end, `expected an expression${what ? ' ' + what : ''}, found ${describe(t, this.text)}`);
  }
}

/**
 * Parses one expression. `origin` maps indices of `text` into the YAML file; every node's
 * span goes through it. Never throws: a syntax error yields one diagnostic (MAPC0300, or
 * MAPC0313 for excessive nesting) and `{ kind: 'invalid' }` spanning the whole text.
 */
export function parseExpr(text: string, origin: TextOrigin): { expr: Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(text, origin);
  try {
    return { expr: p.parseAll(), diagnostics: [] };
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      return { expr: { kind: 'invalid', span: p.span(0, text.length) }, diagnostics: [e.diagnostic] };
    }
    throw e;
  }
}

/** A `TextOrigin` for text that starts at `start` in `file` and has no escapes (plain YAML scalars, tests). */
export function plainOrigin(file: TextOrigin['file'], start = 0): TextOrigin {
  return { file, offset: (i: number) => start + i };
}
