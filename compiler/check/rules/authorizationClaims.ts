/**
 * MAPC0602: a claim named like an authorization claim (roles, permissions, groups, admin,
 * tier, entitlements...) must not be fed from data the user can edit (SPEC 4): an API that
 * trusts the token would let users grant themselves rights. The value's expressions and the
 * field's `when` are both checked (a condition on user data decides the claim as much as
 * its value does).
 */
import type { Expr } from '../../expr';
import { diag, type Rule } from '../context';
import { valueExprs } from '../../model-walk';
import { pathText } from '../../resolve';


/** Words that make a claim name authorization-like, matched per word of the name. */
const AUTHZ_WORDS: ReadonlySet<string> = new Set([
  'role', 'roles', 'permission', 'permissions', 'perm', 'perms', 'group', 'groups', 'scope', 'scopes',
  'admin', 'admins', 'administrator', 'superuser', 'staff', 'tier', 'plan', 'entitlement', 'entitlements',
  'privilege', 'privileges', 'access', 'acl', 'acls', 'rights', 'authorization', 'authorizations', 'authz',
  'grant', 'grants', 'level', 'clearance',
]);

/** Whether a claim name reads as an authorization decision: `is_admin`, `subscriptionTier`, `roles`. */
export function isAuthorizationName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  return words.some((w) => AUTHZ_WORDS.has(w)) || AUTHZ_WORDS.has(words.join(''));
}

export const authorizationClaims: Rule = (ctx) => {
  for (const w of ctx.resolved.writes) {
    const t = w.target;
    if (!t || (t.kind !== 'id_token' && t.kind !== 'access_token')) continue;
    if (!isAuthorizationName(t.claim)) continue;
    const exprs: Expr[] = [];
    if (w.source.kind === 'field') {
      exprs.push(...valueExprs(w.source.field.from));
      if (w.source.field.when) exprs.push(w.source.field.when);
    } else {
      exprs.push(...valueExprs(w.source.value));
    }
    const read = exprs.flatMap((e) => ctx.resolved.untrusted(e, w.spec.trigger.value))[0];
    if (!read) continue;
    ctx.report(
      diag(
        'MAPC0602',
        read.span,
        `the claim '${t.claim}' looks like an authorization claim, but it is computed from ${pathText(read)}, which the user can edit`,
        'feed authorization claims from trusted data: app_metadata, a lookup of your own system, or event.authorization',
        [{ message: `the claim '${t.claim}' is set here`, span: w.text.span }],
      ),
    );
  }
};
