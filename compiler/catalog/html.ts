/**
 * The only way the catalog makes HTML (as compiler/codegen is the only way to make JavaScript):
 * `html\`...\`` whose holes accept `Html` raw and escape everything else, so that no string
 * from a spec (a description, a deny message, a system name) reaches a page as markup. Text and
 * attribute values are escaped alike (`&`, `<`, `>`, `"`, `'`), so a hole is safe in either.
 */

/** Markup that is already safe: made by `html`, `raw` (constants of this folder only) or `join`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a hole of `html` takes: escaped unless it is `Html`; lists are joined; null/undefined/false print nothing. */
export type Hole = Html | string | number | boolean | null | undefined | readonly Hole[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` as HTML text or attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function hole(v: Hole): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return (v as readonly Hole[]).map(hole).join('');
  return escapeHtml(String(v));
}

/** Tagged template: the literal parts are markup, every hole is escaped (see `Hole`). */
export function html(strings: TemplateStringsArray, ...holes: Hole[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < holes.length; i++) out += hole(holes[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup written in this folder (style sheet, script): never a user string. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Holes joined with a separator (itself escaped unless Html). */
export function join(items: readonly Hole[], sep: Hole = ''): Html {
  return new Html(items.map(hole).join(hole(sep)));
}
