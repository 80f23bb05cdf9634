/**
 * Readable layout for the plan literal: multi-line objects and arrays with a comment above
 * an entry where it helps a reviewer. Comments are placed inside literals on purpose: esbuild
 * keeps comments there and drops comments in front of statements.
 */
import { Code, indent, join, js, newline, property } from '../codegen';

/** One entry of a multi-line literal, optionally preceded by comment lines. */
export interface Entry {
  readonly comments?: readonly Code[];
  readonly code: Code;
}

/** `{` or `[`, entries one per line with trailing commas, then the closing bracket. */
export function multiline(open: Code, entries: readonly Entry[], close: Code): Code {
  if (entries.length === 0) return js`${open}${close}`;
  const lines = entries.map((e) => {
    const line = js`${e.code},`;
    return e.comments && e.comments.length > 0 ? join([...e.comments, line], newline) : line;
  });
  return js`${open}${indent(js`${newline}${join(lines, newline)}`)}${newline}${close}`;
}

/**
 * A multi-line object from `[key, value]` pairs; pairs whose value is undefined are left out.
 * With a type argument (`object<SpecPlan>(...)`) the keys must be keys of that type: plan
 * literals are checked against the runtime's plan types (runtime/plan.ts), the one contract.
 */
export function object<T = Record<string, unknown>>(props: readonly (readonly [keyof T & string, Code | undefined])[]): Code {
  const entries: Entry[] = [];
  for (const [k, v] of props) if (v !== undefined) entries.push({ code: property(k, v) });
  return multiline(js`{`, entries, js`}`);
}

/** A multi-line array. */
export function array(entries: readonly Entry[]): Code {
  return multiline(js`[`, entries, js`]`);
}
