/**
 * Renders an expression back to source-like text, for messages ("unknown path 'usr.email'").
 * Spans cannot be used for this: inside a quoted YAML scalar the parse phase may map every
 * index to the scalar's start.
 */
import type { Expr, Template } from './ast';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
}

/** `.key`, `[0]` or `['odd key']`. */
export function keyText(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return IDENT.test(key) ? `.${key}` : `[${quote(key)}]`;
}

/** Source-like text of `e` (fully parenthesised where precedence needs it). */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? quote(e.value) : String(e.value);
    case 'root':
      return e.name;
    case 'member':
      return exprText(e.object) + keyText(e.key);
    case 'call':
      // `list[*].a`: the element chain is printed without its implicit `item`.
      if (e.wildcard) return `${exprText(e.args[0]!)}[*]${exprText(e.args[1]!).slice('item'.length)}`;
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'unary':
      return `!${wrap(e.operand)}`;
    case 'binary':
      return `${wrap(e.left)} ${e.op} ${wrap(e.right)}`;
    case 'invalid':
      return '<invalid>';
  }
}

function wrap(e: Expr): string {
  return e.kind === 'binary' || e.kind === 'unary' ? `(${exprText(e)})` : exprText(e);
}

/** Handlebars-style text of one template interpolation: `sha256 (lower user.email)`. */
function helperText(e: Expr, nested: boolean): string {
  if (e.kind !== 'call') return exprText(e);
  const inner = [e.name, ...e.args.map((a) => helperText(a, true))].join(' ');
  return nested ? `(${inner})` : inner;
}

/** A template as the user writes it: `/users/{{user.user_id}}/x`, helpers in Handlebars form. */
export function templateText(t: Template): string {
  return t.parts.map((p) => (p.kind === 'text' ? p.text.replace(/\{\{/g, '\\{{') : `{{${helperText(p.expr, false)}}}`)).join('');
}
