/**
 * Trust: which data the end user can edit (SPEC 4). `user.user_metadata` is writable by the
 * user through the Authentication API and profile UIs; `request.body` and `request.query`
 * come straight from the browser. Deciding access, routing or authorization claims on them
 * lets a user grant themselves rights.
 */
import type { Expr } from '../expr/ast';
import { pathsRead, type PathRead } from '../expr/walk';

/** True when the path reads (part of) user-editable data. */
export function isUserEditable(p: PathRead): boolean {
  const first = p.keys[0];
  if (p.root === 'user') return first === 'user_metadata';
  if (p.root === 'request') return first === 'body' || first === 'query';
  return false;
}

/** The user-editable paths an expression reads, in source order. */
export function userEditableReads(expr: Expr): PathRead[] {
  return pathsRead(expr).filter(isUserEditable);
}

/** `user.user_metadata.tier` from a path read (for messages). */
export function pathText(p: PathRead): string {
  let s = p.root;
  for (const k of p.keys) s += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return s;
}
