/**
 * MAPC0602: a claim named like an authorization claim (AUTHORIZATION_NAMES: roles,
 * permissions, groups, admin, tier, org_id...) must not carry data the user can choose (SPEC 4,
 * compiler/resolve/trust.ts): an API that
 * trusts the token would let users grant themselves rights. The value's expressions and the
 * field's `when` are both checked (a condition on user data decides the claim as much as
 * its value does).
 */
import { diag, type Rule } from '../context';
import { taintText } from '../../resolve';


/**
 * What makes a claim name authorization-like (docs/reliability.md shows this table; a test
 * keeps them equal). A name matches when one of its words (split at `_`, `-`, `.` and
 * camelCase) is in `words`, when its words joined are (`isadmin`), or when the whole name,
 * lower-cased, is in `names`.
 */
export const AUTHORIZATION_NAMES = {
  words: {
    'role, roles': 'role-based access',
    'permission, permissions, perm, perms': 'permission checks',
    'group, groups': 'group membership',
    'scope, scopes': 'OAuth scopes',
    'admin, admins, administrator, superuser, staff': 'elevated users',
    'employee, employees': 'staff-only features (is_employee)',
    'tier, plan, premium': 'paid features',
    'feature, features': 'feature flags that unlock functionality',
    'entitlement, entitlements, privilege, privileges, rights': 'what a user may do',
    'access, acl, acls, authorization, authorizations, authz': 'access decisions',
    'grant, grants, level, clearance': 'levels of access',
  },
  names: {
    org_id: 'the organization an API scopes data to',
    tenant_id: 'the tenant an API scopes data to',
    email_verified: 'APIs that trust the address as proven',
  },
} as const;

const AUTHZ_WORDS: ReadonlySet<string> = new Set(Object.keys(AUTHORIZATION_NAMES.words).flatMap((k) => k.split(', ')));
const AUTHZ_NAMES: ReadonlySet<string> = new Set(Object.keys(AUTHORIZATION_NAMES.names));

/** Whether a claim name reads as an authorization decision: `is_admin`, `subscriptionTier`, `roles`, `org_id`. */
export function isAuthorizationName(name: string): boolean {
  if (AUTHZ_NAMES.has(name.toLowerCase())) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  return words.some((w) => AUTHZ_WORDS.has(w)) || AUTHZ_WORDS.has(words.join('')) || AUTHZ_NAMES.has(words.join('_'));
}

/** The name a write's authorization test reads: a claim's, a SAML attribute's last part (`.../role`); scopes always are authorization. */
function authorizationName(t: NonNullable<import('../../targets').Target>): { what: string; authz: boolean } | null {
  if (t.kind === 'id_token' || t.kind === 'access_token') return { what: `the claim '${t.claim}'`, authz: isAuthorizationName(t.claim) };
  if (t.kind === 'scopes') return { what: `the scope '${t.scope}'`, authz: true };
  if (t.kind === 'saml') {
    const last = t.attribute.split(/[/:#]/).filter((p) => p !== '').pop() ?? t.attribute;
    return { what: `the SAML attribute '${t.attribute}'`, authz: isAuthorizationName(last) };
  }
  return null;
}

export const authorizationClaims: Rule = (ctx) => {
  for (const w of ctx.resolved.writes) {
    const t = w.target;
    const named = t ? authorizationName(t) : null;
    if (!named || !named.authz) continue;
    const read = ctx.resolved.writeTaint(w);
    if (!read) continue;
    ctx.report(
      diag(
        'MAPC0602',
        read.span,
        `${named.what} ${t!.kind === 'scopes' ? 'grants access' : 'looks like an authorization claim'}, but it is computed from ${taintText(read)}`,
        'feed authorization claims from trusted data: app_metadata written from trusted data, a lookup of your own system by a trusted key, or event.authorization',
        [{ message: `${named.what} is set here`, span: w.text.span }, ...read.chain],
      ),
    );
  }
};
