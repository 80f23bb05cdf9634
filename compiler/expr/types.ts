/**
 * The types of the expression language. Every type is implicitly nullable: a path through
 * a missing value is null (SPEC 2.4), so `null` is never a type error at compile time.
 */
export type Type = (
  | { readonly kind: 'any' }
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly of: Type }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, Type>>;
      /** Type of keys not listed in `fields`; absent means the object is closed (unknown keys are errors). */
      readonly rest?: Type;
    }
) & {
  /**
   * Marks event data the end user controls (user_metadata, request.query and body, the
   * authorize parameters, the User-Agent header, a sign-up's profile): trust checks use it.
   */
  readonly userEditable?: boolean;
};

export const T = {
  any: { kind: 'any' } as Type,
  string: { kind: 'string' } as Type,
  number: { kind: 'number' } as Type,
  boolean: { kind: 'boolean' } as Type,
  null: { kind: 'null' } as Type,
  array: (of: Type): Type => ({ kind: 'array', of }),
  object: (fields: Record<string, Type>, rest?: Type, userEditable?: boolean): Type => ({
    kind: 'object',
    fields,
    ...(rest ? { rest } : {}),
    ...(userEditable ? { userEditable } : {}),
  }),
  /** `t`, marked as data the end user controls. */
  editable: (t: Type): Type => ({ ...t, userEditable: true }),
  /** An open dictionary (`app_metadata`, `profileData`). */
  dict: (of: Type = { kind: 'any' }, userEditable?: boolean): Type => ({
    kind: 'object',
    fields: {},
    rest: of,
    ...(userEditable ? { userEditable } : {}),
  }),
};

/**
 * The type at `root.keys...` among `roots`, or undefined when that path does not exist
 * (an index into an array takes its element type; `any` stays `any`).
 */
export function typeAt(roots: Readonly<Record<string, Type>>, root: string, keys: readonly (string | number)[]): Type | undefined {
  if (!Object.prototype.hasOwnProperty.call(roots, root)) return undefined;
  let t: Type | undefined = roots[root];
  for (const k of keys) {
    if (!t) return undefined;
    if (t.kind === 'any') return t;
    if (t.kind === 'array') {
      if (typeof k !== 'number') return undefined;
      t = t.of;
    } else if (t.kind === 'object') {
      t = Object.prototype.hasOwnProperty.call(t.fields, String(k)) ? t.fields[String(k)] : t.rest;
    } else return undefined;
  }
  return t;
}
