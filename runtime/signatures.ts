/**
 * The function library's signatures (SPEC 2.5): the one registry the compiler's checker and
 * the runtime's implementations (runtime/functions.ts, exported as `fn_<name>`) share.
 * Not bundled into Actions (generated code never imports it).
 */

/** Parameter types. `regex` is a string literal checked at build time; `scalar` is string|number|boolean. */
export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'scalar' | 'array' | 'object' | 'any' | 'regex';

/**
 * Result types. `arg0` = same type as the first argument; `element0` = element type of the
 * first argument (an array); `array<string>` = array of strings; `identity` = an entry of
 * `user.identities`; `common` = the common type of all arguments (coalesce/default).
 */
export type ResultType = ParamType | 'arg0' | 'element0' | 'array<string>' | 'identity' | 'common';

export interface Param {
  readonly name: string;
  readonly type: ParamType;
  readonly optional?: boolean;
  /** Must be a literal at build time (regular expressions, tables). */
  readonly literal?: boolean;
}

export interface Signature {
  readonly params: readonly Param[];
  /** When set, any number (≥ 0) of further arguments of this type. */
  readonly variadic?: ParamType;
  readonly returns: ResultType;
  /** What null (or an unconvertible value) does, in words, for the docs. */
  readonly nullRule: string;
  readonly doc: string;
  /** Example call and its result, for the docs and for a test that runs them. */
  readonly examples: readonly { readonly call: string; readonly result: unknown }[];
  /** Reads the clock (now, hours_since...): a field using it is never "unchanged". */
  readonly impure?: boolean;
}
