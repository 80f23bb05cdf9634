/**
 * The types of the expression language. Every type is implicitly nullable: a path through
 * a missing value is null (SPEC 2.4), so `null` is never a type error at compile time.
 */
export type Type =
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
      /** Marks data the end user can edit (user_metadata, request.body, request.query): trust checks use it. */
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
  /** An open dictionary (`app_metadata`, `profileData`). */
  dict: (of: Type = { kind: 'any' }, userEditable?: boolean): Type => ({
    kind: 'object',
    fields: {},
    rest: of,
    ...(userEditable ? { userEditable } : {}),
  }),
};
