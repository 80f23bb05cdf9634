/**
 * MAPC0504: no claim named `scope` (SPEC 4). The Auth0 runtime rejects `setCustomClaim('scope')`
 * outright, and a namespaced `scope` is easily mistaken for the OAuth scope by APIs.
 *
 * Decision: restricted claim names (AUTH0-FACTS §3: roles, permissions, sub, ...) and OIDC
 * profile names (email, name, ...) are not reported. mapc always prefixes claims with the
 * claims namespace, so `id_token.roles` becomes `https://acme.example/roles`, which Auth0
 * accepts. What is dangerous about such names is where their value comes from; that is the
 * authorizationClaims rule (MAPC0602).
 */
import { diag, type Rule } from '../context';


export const claimNames: Rule = (ctx) => {
  for (const w of ctx.resolved.writes) {
    const t = w.target;
    if (!t || (t.kind !== 'id_token' && t.kind !== 'access_token')) continue;
    if (t.claim.toLowerCase() !== 'scope') continue;
    ctx.report(
      diag(
        'MAPC0504',
        w.text.span,
        `a claim cannot be named '${t.claim}': it would be mistaken for the OAuth scope`,
        'grant scopes through the API and its permissions in Auth0; give this claim another name, such as scopes_granted',
      ),
    );
  }
};
