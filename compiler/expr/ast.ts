import type { Span } from '../source';

/**
 * Expression AST (SPEC 2.4). Every node carries the span of its source text inside the YAML
 * file, so the checker can point at `usr` in `lower(usr.email)`.
 */
export type Expr =
  | LiteralExpr
  | RootExpr
  | MemberExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | InvalidExpr;

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  readonly span: Span;
}

/** A root name: `user`, `request`, a lookup name, `value`, `current`, `response`. */
export interface RootExpr {
  readonly kind: 'root';
  readonly name: string;
  readonly span: Span;
}

/** `object.key` or `object[0]`. `keySpan` covers the key alone. */
export interface MemberExpr {
  readonly kind: 'member';
  readonly object: Expr;
  readonly key: string | number;
  readonly keySpan: Span;
  readonly span: Span;
}

/**
 * A library function call (SPEC 2.5). `wildcard`: the call is a path over every element,
 * `list[*].a.b`, which the parser reads as `map_each(list, item.a.b)` (`nameSpan` is the `[*]`,
 * the `item` root is implicit and spans the `[*]` too).
 */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Expr[];
  readonly span: Span;
  readonly wildcard?: true;
  /**
   * `'case'`: an `if` the parse phase made of one branch of a `{ case: [...] }` value (SPEC
   * 2.3); the checker names the branch's `when`/`then`/`else` in its messages. `nameSpan` is
   * the branch (the `else` chain is the third argument).
   */
  readonly form?: 'case';
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '!';
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

/** Stands in for source that did not parse; a diagnostic was already reported. */
export interface InvalidExpr {
  readonly kind: 'invalid';
  readonly span: Span;
}

/** A `{ template: ... }` or request path/idempotency key, already parsed (SPEC 2.3). */
export interface Template {
  readonly kind: 'template';
  readonly parts: readonly TemplatePart[];
  readonly span: Span;
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expr'; readonly expr: Expr };
