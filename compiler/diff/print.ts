/**
 * Source-like text of IR values, templates and transforms, for reviewers. The diff compares
 * these strings, so two specs that mean the same thing print the same (spans, quoting style
 * and YAML layout do not matter).
 */
import { exprText, templateText } from '../expr';
import type { TransformIR, ValueIR } from '../ir';

/** A YAML-ish literal: JSON, which is valid YAML flow syntax and unambiguous. */
export function literalText(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** One line: an expression, `{ value: ... }`, `{ template: ... }`, or a flow map/list of those. */
export function valueText(v: ValueIR): string {
  switch (v.kind) {
    case 'expr':
      return exprText(v.expr);
    case 'literal':
      return `{ value: ${literalText(v.value)} }`;
    case 'template':
      return `{ template: ${JSON.stringify(templateText(v.template))} }`;
    case 'object':
      return v.entries.length === 0 ? '{}' : `{ ${v.entries.map(([k, x]) => `${k}: ${valueText(x)}`).join(', ')} }`;
    case 'array':
      return `[${v.items.map(valueText).join(', ')}]`;
  }
}

/** `key: value, ...` of a query/header list, or undefined when empty. */
export function entriesText(entries: readonly (readonly [string, ValueIR])[]): string | undefined {
  if (entries.length === 0) return undefined;
  return `{ ${entries.map(([k, x]) => `${k}: ${valueText(x)}`).join(', ')} }`;
}

/** `trim, replace('-', '_')`, or undefined when there is no transform. */
export function transformsText(ts: readonly TransformIR[]): string | undefined {
  if (ts.length === 0) return undefined;
  return ts.map((t) => (t.args.length === 0 ? t.fn : `${t.fn}(${t.args.map(literalText).join(', ')})`)).join(', ');
}

export { exprText, templateText };
