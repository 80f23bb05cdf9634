/**
 * Trust: which data the end user can edit (SPEC 4). `user.user_metadata` is writable by the
 * user through the Authentication API and profile UIs; `request.body` and `request.query`
 * come straight from the browser. Deciding access, routing or authorization claims on them
 * lets a user grant themselves rights.
 */
import { pathsRead, type Expr, type PathRead } from '../expr';
import { isUserEditablePath, TRIGGER_IDS, type TriggerId } from '../triggers';

/**
 * The user-editable paths (each trigger's event model marks them) an expression reads, in
 * source order: on `trigger`, or — without one, for what serves several triggers (a system's
 * routing key) — on any trigger.
 */
export function userEditableReads(expr: Expr, trigger?: TriggerId): PathRead[] {
  const on = trigger === undefined ? TRIGGER_IDS : [trigger];
  return pathsRead(expr).filter((p) => on.some((t) => isUserEditablePath(t, p.root, p.keys)));
}

/** `user.user_metadata.tier` from a path read (for messages). */
export function pathText(p: PathRead): string {
  let s = p.root;
  for (const k of p.keys) s += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return s;
}
