/**
 * Template parsing (SPEC 2.3): `{ template: "..." }`, request paths and idempotency keys.
 * The text is parsed by Handlebars' own parser (so `\{{`, `{{~ ~}}` and comments behave as
 * Handlebars users expect), then the Handlebars AST is translated into our `Template`:
 * text parts and expression parts built from the same `Expr` nodes as expressions.
 *
 * Accepted: text; `{{path}}`; `{{fn arg ...}}` where fn is a library function and the
 * arguments are paths, literals or sub-expressions `(fn x)`; comments (dropped).
 * `{{{x}}}` and `{{&x}}` are accepted and mean exactly `{{x}}`: templates are compiled to
 * plain string concatenation and nothing is ever HTML-escaped, so the difference between
 * escaped and unescaped output does not exist here; refusing them would only be friction.
 * Refused, each with a located diagnostic: block helpers, partials, decorators (MAPC0321);
 * `this`, `./`, `../`, `@data` (MAPC0322); hash arguments (MAPC0323); helpers that are not
 * library functions (MAPC0324, when the registry is known).
 */
import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics';
import { span as mkSpan, type Span } from '../source';
import type { Expr, Template, TemplatePart } from './ast';
import { exprDiag, functionHint } from './diag';
import { defaultFunctions, lookupFunction, type FunctionRegistry } from './functions';
import type { TextOrigin } from './origin';
import { MAX_EXPR_DEPTH } from './parser';

type HbNode = hbs.AST.Node;
type HbExpr = hbs.AST.Expression;
type HbPos = hbs.AST.Position;

/** Thrown inside this module only; `parseTemplate` catches it. */
class TemplateFailure {
  constructor(readonly diagnostic: Diagnostic) {}
}

/** Handlebars' jison token names, in words. */
const TOKEN_WORDS: Readonly<Record<string, string>> = {
  CLOSE: "'}}'",
  CLOSE_UNESCAPED: "'}}}'",
  CLOSE_SEXPR: "')'",
  OPEN_SEXPR: "'('",
  ID: 'a name',
  EOF: 'end of template',
  INVALID: 'an invalid character',
  OPEN_ENDBLOCK: "'{{/'",
  SEP: "'.'",
  NUMBER: 'a number',
  STRING: 'a string',
  EQUALS: "'='",
};

class Translator {
  private readonly lineStarts: number[] = [0];
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly origin: TextOrigin,
    private readonly functions: FunctionRegistry,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** Handlebars position (line 1-based, column 0-based) → index into `text`. */
  index(p: HbPos): number {
    const start = this.lineStarts[Math.max(0, Math.min(p.line - 1, this.lineStarts.length - 1))]!;
    return Math.min(this.text.length, start + p.column);
  }

  span(start: number, end: number): Span {
    // Errors at the end of input ("unclosed block") come one past the text: point at its last
    // character instead, so a span never leaves the template.
    const n = this.text.length;
    const e = Math.min(end, n);
    const s = Math.min(start, e === n && n > 0 ? n - 1 : e);
    return mkSpan(this.origin.file, this.origin.offset(s), this.origin.offset(e));
  }

  nodeSpan(n: { loc: hbs.AST.SourceLocation }): Span {
    return this.span(this.index(n.loc.start), this.index(n.loc.end));
  }

  hasFunctions(): boolean {
    return Object.keys(this.functions).length > 0;
  }

  statement(n: HbNode): TemplatePart | undefined {
    switch (n.type) {
      case 'ContentStatement':
        return { kind: 'text', text: (n as hbs.AST.ContentStatement).value };
      case 'CommentStatement':
        return undefined;
      case 'MustacheStatement': {
        const m = n as hbs.AST.MustacheStatement;
        return { kind: 'expr', expr: this.call(m.path, m.params, m.hash, m, 0) };
      }
      case 'BlockStatement': {
        const b = n as hbs.AST.BlockStatement;
        const name = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : 'block';
        throw new TemplateFailure(
          exprDiag('MAPC0321', this.nodeSpan(b), `block helpers such as '{{#${name}}}' are not supported in templates`, 'compute the value in a field (with when:, coalesce or default) and interpolate it'),
        );
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        throw new TemplateFailure(exprDiag('MAPC0321', this.nodeSpan(n), 'partials are not supported in templates'));
      default:
        throw new TemplateFailure(exprDiag('MAPC0321', this.nodeSpan(n), `'${n.type}' is not supported in templates`));
    }
  }

  /** A mustache or sub-expression: `path params... hash`. */
  call(path: HbNode, params: HbExpr[], hash: hbs.AST.Hash | undefined, whole: { loc: hbs.AST.SourceLocation }, depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) {
      throw new TemplateFailure(exprDiag('MAPC0313', this.nodeSpan(whole), `template sub-expressions nested more than ${MAX_EXPR_DEPTH} levels deep`));
    }
    if (hash && hash.pairs.length > 0) {
      throw new TemplateFailure(
        exprDiag('MAPC0323', this.nodeSpan(hash), `hash arguments ('${hash.pairs[0]!.key}=...') are not supported`, 'pass arguments by position: {{truncate user.name 3}}'),
      );
    }
    if (path.type !== 'PathExpression') {
      if (params.length > 0) throw new TemplateFailure(exprDiag('MAPC0324', this.nodeSpan(path), 'only a library function can take arguments'));
      return this.arg(path as HbExpr, depth);
    }
    const p = path as hbs.AST.PathExpression;
    const name = p.parts.length === 1 && !p.data && p.depth === 0 && !this.isContextPath(p) ? p.parts[0]! : undefined;
    const isFunction = name !== undefined && lookupFunction(this.functions, name) !== undefined;
    if (params.length === 0 && !isFunction) return this.path(p);
    // A helper call: `{{fn args}}`, or a zero-argument function `{{now}}` (Handlebars, too,
    // prefers a helper over data of the same name).
    const nameSpan = this.nodeSpan(p);
    if (name === undefined) {
      throw new TemplateFailure(exprDiag('MAPC0324', nameSpan, `'${p.original}' cannot be called: only library functions take arguments`, 'write {{fn arg}}, e.g. {{lower user.email}}'));
    }
    if (!isFunction && this.hasFunctions()) {
      throw new TemplateFailure(exprDiag('MAPC0324', nameSpan, `unknown helper '${name}': helpers are the library functions`, functionHint(name, this.functions)));
    }
    const args = params.map((a) => this.arg(a, depth + 1));
    return { kind: 'call', name, nameSpan, args, span: this.nodeSpan(whole) };
  }

  arg(a: HbExpr, depth: number): Expr {
    const s = this.nodeSpan(a);
    switch (a.type) {
      case 'PathExpression':
        return this.path(a as hbs.AST.PathExpression);
      case 'SubExpression': {
        const sx = a as hbs.AST.SubExpression;
        return this.call(sx.path, sx.params, sx.hash, sx, depth + 1);
      }
      case 'StringLiteral':
        return { kind: 'literal', value: (a as hbs.AST.StringLiteral).value, span: s };
      case 'NumberLiteral':
        return { kind: 'literal', value: (a as hbs.AST.NumberLiteral).value, span: s };
      case 'BooleanLiteral':
        return { kind: 'literal', value: (a as hbs.AST.BooleanLiteral).value, span: s };
      case 'NullLiteral':
      case 'UndefinedLiteral':
        return { kind: 'literal', value: null, span: s };
      default:
        throw new TemplateFailure(exprDiag('MAPC0320', s, `unexpected '${a.type}' in a template`));
    }
  }

  /** `this`, `./x`, `this.x`: Handlebars drops these parts from `parts`, `original` keeps them. */
  isContextPath(p: hbs.AST.PathExpression): boolean {
    return p.parts.length === 0 || /^(this|\.)(\.|\/|$)/.test(p.original);
  }

  path(p: hbs.AST.PathExpression): Expr {
    const whole = this.nodeSpan(p);
    if (p.data) {
      throw new TemplateFailure(exprDiag('MAPC0322', whole, `'${p.original}': @data variables do not exist in mapc templates`, 'name the data by its root: {{user.email}}'));
    }
    if (p.depth > 0 || this.isContextPath(p)) {
      throw new TemplateFailure(
        exprDiag('MAPC0322', whole, `'${p.original}': templates have no context object (this, ./ and ../ are not supported)`, 'name the data by its root: {{user.email}}'),
      );
    }
    // Find each segment in the source so that every member node points at its own key.
    const start = this.index(p.loc.start);
    const segs = this.segments(start, this.index(p.loc.end), p.parts.length);
    let e: Expr = { kind: 'root', name: p.parts[0]!, span: this.span(segs[0]![0], segs[0]![1]) };
    for (let i = 1; i < p.parts.length; i++) {
      const part = p.parts[i]!;
      const key: string | number = /^(0|[1-9][0-9]{0,8})$/.test(part) ? Number(part) : part;
      const [ks, ke] = segs[i]!;
      e = { kind: 'member', object: e, key, keySpan: this.span(ks, ke), span: this.span(start, ke) };
    }
    return e;
  }

  /** [start, end) of each path segment (`a.[b c]/d`), scanning the source; falls back to the whole path. */
  segments(start: number, end: number, count: number): [number, number][] {
    const out: [number, number][] = [];
    let i = start;
    while (i < end && out.length < count) {
      const c = this.text[i];
      if (c === '{' || c === '~' || c === '&' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '(') {
        i++;
        continue;
      }
      const s = i;
      if (c === '[') {
        const close = this.text.indexOf(']', i);
        i = close < 0 || close >= end ? end : close + 1;
      } else {
        while (i < end && !/[.\/\s}~)]/.test(this.text[i]!)) i++;
      }
      out.push([s, i]);
      if (this.text[i] === '.' || this.text[i] === '/') i++;
      else if (out.length < count) break;
    }
    while (out.length < count) out.push([start, end]);
    return out;
  }

  /** Located diagnostic for an error thrown by Handlebars' parser. */
  parseError(err: unknown): Diagnostic {
    const e = err as { message?: unknown; lineNumber?: unknown; column?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    // Handlebars `Exception`s (e.g. "Invalid path", "x doesn't match y") carry their position.
    if (typeof e.lineNumber === 'number' && typeof e.column === 'number') {
      const at = this.index({ line: e.lineNumber, column: e.column });
      return exprDiag('MAPC0320', this.span(at, at + 1), `invalid template: ${message.replace(/ - \d+:\d+$/, '')}`);
    }
    // Parse and lexical errors: the jison lexer still holds the offending token.
    const lexer = (Handlebars as unknown as { Parser?: { lexer?: { matched?: unknown; match?: unknown } } }).Parser?.lexer;
    let at = this.text.length;
    let len = 0;
    if (lexer && typeof lexer.matched === 'string' && typeof lexer.match === 'string') {
      len = lexer.match.length;
      at = Math.max(0, Math.min(this.text.length, lexer.matched.length - len));
    }
    const unclosed = this.text.lastIndexOf('{{', at);
    if (unclosed >= 0 && this.text.indexOf('}}', unclosed) < 0) {
      return exprDiag('MAPC0320', this.span(unclosed, unclosed + 2), "'{{' is not closed", "close it with '}}'; a literal '{{' is written '\\{{'");
    }
    const got = /got '([A-Z_]+)'/.exec(message)?.[1];
    const word = got ? (TOKEN_WORDS[got] ?? `'${got}'`) : 'input';
    return exprDiag('MAPC0320', this.span(at, at + Math.max(len, 1)), `invalid template: unexpected ${word}`, 'a template is text with {{path}} or {{function arg ...}} interpolations');
  }
}

/**
 * Parses a template. `origin` maps indices of `text` into the YAML file. `functions` (default:
 * the library) decides which `{{name}}` are zero-argument helper calls and which helpers are
 * unknown; with an empty registry every helper is accepted and left to the checker. Never
 * throws: a syntax error yields one diagnostic and a template with no parts; each refused
 * `{{ }}` yields a diagnostic and is left out of the parts (the rest is still checked).
 */
export function parseTemplate(
  text: string,
  origin: TextOrigin,
  functions: FunctionRegistry = defaultFunctions(),
): { template: Template; diagnostics: Diagnostic[] } {
  const tr = new Translator(text, origin, functions);
  const whole = tr.span(0, text.length);
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(text);
  } catch (err) {
    return { template: { kind: 'template', parts: [], span: whole }, diagnostics: [tr.parseError(err)] };
  }
  const parts: TemplatePart[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const n of program.body) {
    let p: TemplatePart | undefined;
    try {
      p = tr.statement(n);
    } catch (err) {
      // Report every refused construct, keep the rest so the checker still sees it.
      if (!(err instanceof TemplateFailure)) throw err;
      diagnostics.push(err.diagnostic);
      continue;
    }
    if (!p) continue;
    {
      const last = parts[parts.length - 1];
      // Comments and whitespace control can leave adjacent or empty text: keep the AST minimal.
      if (p.kind === 'text') {
        if (p.text === '') continue;
        if (last?.kind === 'text') {
          parts[parts.length - 1] = { kind: 'text', text: last.text + p.text };
          continue;
        }
      }
      parts.push(p);
    }
  }
  return { template: { kind: 'template', parts, span: whole }, diagnostics };
}
