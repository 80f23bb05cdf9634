/**
 * Target syntax (SPEC 2.2): `app_metadata.<path>`, `user_metadata.<path>`, `id_token.<claim>`,
 * `access_token.<claim>`, and Auth0's other outputs: `scopes.<scope>` (a boolean: true adds the
 * scope to the access token, false removes it), `saml.<attribute>` (a SAML response attribute)
 * and `user_id` (the id of the user a sign-up creates). One parser shared by every rule so they
 * agree on what a target is.
 */

export type MetadataKind = 'app_metadata' | 'user_metadata';
export type TokenKind = 'id_token' | 'access_token';

export type Target =
  | { readonly kind: MetadataKind; readonly path: readonly string[] }
  | { readonly kind: TokenKind; readonly claim: string }
  | { readonly kind: 'scopes'; readonly scope: string }
  | { readonly kind: 'saml'; readonly attribute: string }
  | { readonly kind: 'user_id' };

/** A scope as Auth0's addScope takes it: non-empty, no whitespace, at most 280 characters. */
export const SCOPE_PATTERN = /^[\x21-\x7e]{1,280}$/;
/** A SAML attribute name: a URI or a plain name, printable ASCII without spaces, at most 1,024 characters. */
export const SAML_ATTRIBUTE_PATTERN = /^[\x21-\x7e]{1,1024}$/;

export type TargetProblem =
  | { readonly problem: 'syntax'; readonly message: string; readonly hint: string }
  | { readonly problem: 'reserved'; readonly segment: string };

/** Keys that would reach Object.prototype through a merge in generated code. */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A metadata key or claim name: letters, digits, `_` and `-`, not starting with a digit or `-`. */
export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const HEADS = ['app_metadata', 'user_metadata', 'id_token', 'access_token'] as const;

/** Parses a target string; returns the target or why it is not one. */
export function parseTarget(text: string): Target | TargetProblem {
  const segments = text.split('.');
  // Reserved keys first: they are dangerous wherever they appear, even in an otherwise broken target.
  const reserved = segments.find((s) => RESERVED_SEGMENTS.has(s));
  if (reserved !== undefined) return { problem: 'reserved', segment: reserved };
  const head = segments[0]!;
  const rest = segments.slice(1);
  if (text === 'user_id') return { kind: 'user_id' };
  if (head === 'scopes' || head === 'saml') {
    // The rest is one name that may hold dots (`read:orders`, `http://schemas.../role`).
    const name = text.slice(head.length + 1);
    const ok = head === 'scopes' ? SCOPE_PATTERN.test(name) : SAML_ATTRIBUTE_PATTERN.test(name);
    if (rest.length === 0 || !ok) {
      return {
        problem: 'syntax',
        message: `'${text}' is not a complete target: name the ${head === 'scopes' ? 'scope' : 'SAML attribute'} after '${head}.'`,
        hint: head === 'scopes' ? "write for example 'scopes.read:orders' (no spaces, at most 280 characters)" : "write for example 'saml.http://schemas.xmlsoap.org/claims/Group' (no spaces)",
      };
    }
    return head === 'scopes' ? { kind: 'scopes', scope: name } : { kind: 'saml', attribute: name };
  }
  if (!(HEADS as readonly string[]).includes(head)) {
    return {
      problem: 'syntax',
      message: `'${text}' is not a target: a target starts with app_metadata., user_metadata., id_token., access_token., scopes. or saml., or is user_id`,
      hint: `write for example 'app_metadata.${rest.length > 0 ? rest.join('.') : head}'`,
    };
  }
  if (rest.length === 0 || rest.some((s) => s === '')) {
    return {
      problem: 'syntax',
      message: `'${text}' is not a complete target: name the key after '${head}.'`,
      hint: `write '${head}.<key>', with no empty part between dots`,
    };
  }
  const bad = rest.find((s) => !KEY_PATTERN.test(s));
  if (bad !== undefined) {
    return {
      problem: 'syntax',
      message: `'${bad}' in '${text}' is not a valid key`,
      hint: 'keys use letters, digits, _ and -, and start with a letter or _',
    };
  }
  if (head === 'id_token' || head === 'access_token') {
    if (rest.length > 1) {
      return {
        problem: 'syntax',
        message: `'${text}' names a nested claim; a claim is a single name`,
        hint: `write '${head}.${rest.join('_')}' and put an object value in it if you need structure`,
      };
    }
    return { kind: head, claim: rest[0]! };
  }
  return { kind: head as MetadataKind, path: rest };
}

export function isTarget(t: Target | TargetProblem): t is Target {
  return 'kind' in t;
}

export function isMetadata(t: Target): t is Extract<Target, { kind: MetadataKind }> {
  return t.kind === 'app_metadata' || t.kind === 'user_metadata';
}

/** Key segments of a target, head first: `['app_metadata','a','b']`, `['id_token','tier']`. */
export function targetSegments(t: Target): string[] {
  switch (t.kind) {
    case 'app_metadata':
    case 'user_metadata':
      return [t.kind, ...t.path];
    case 'id_token':
    case 'access_token':
      return [t.kind, t.claim];
    case 'scopes':
      return [t.kind, t.scope];
    case 'saml':
      return [t.kind, t.attribute];
    case 'user_id':
      return [t.kind];
  }
}

/** How two targets relate: the same key, one inside the other, or independent. */
export function overlap(a: Target, b: Target): 'same' | 'nested' | null {
  const sa = targetSegments(a);
  const sb = targetSegments(b);
  const n = Math.min(sa.length, sb.length);
  for (let i = 0; i < n; i++) if (sa[i] !== sb[i]) return null;
  return sa.length === sb.length ? 'same' : 'nested';
}
