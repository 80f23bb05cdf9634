/**
 * MAPC0701/0702: secret names and counts (AUTH0-FACTS §3). A name is an identifier of at most
 * 128 characters (Auth0's limit, and `##NAME##` placeholders must survive the Deploy CLI's
 * keyword replacement); an Action carries at most 30 secrets, counted over the systems its
 * specs use, the redirect tokens they sign and their hmac_sha256 calls. Secrets cannot appear
 * anywhere but `auth`, `base_url: { secret }`, a redirect's `token: { secret }` and, by name,
 * hmac_sha256's secret argument (whose name the expression checker checks, with its length):
 * the schema and the expression checker keep them out of everything else.
 */
import { tokenSecrets } from '../../model-walk';
import { systemSecrets } from '../../systems';
import { LIMITS } from '../../triggers';
import { diag, type Rule } from '../context';

// Names are checked by the schema (letters, digits, _); the length by this rule.
const SECRET_NAME_MAX = 128;


export const secrets: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    for (const s of tokenSecrets(spec)) {
      if (s.value.length > SECRET_NAME_MAX) {
        ctx.report(
          diag('MAPC0701', s.span, `the secret name of this redirect token is ${s.value.length} characters long; Auth0 allows ${SECRET_NAME_MAX}`, `use a name of at most ${SECRET_NAME_MAX} characters`),
        );
      }
    }
  }
  for (const sys of ctx.project.systems) {
    for (const s of systemSecrets(sys)) {
      if (s.value.length > SECRET_NAME_MAX) {
        ctx.report(
          diag('MAPC0701', s.span, `the secret name of system '${sys.name.value}' is ${s.value.length} characters long; Auth0 allows ${SECRET_NAME_MAX}`, `use a name of at most ${SECRET_NAME_MAX} characters`),
        );
      }
    }
  }
  for (const a of ctx.resolved.actions) {
    const action = a.name;
    const specs = a.specs.map((r) => r.spec);
    if (a.secrets.length <= LIMITS.secretsPerAction) continue;
    const first = specs[0]!;
    const list = a.secrets;
    ctx.report(
      diag(
        'MAPC0702',
        first.action?.span ?? first.trigger.span,
        `the Action ${action} needs ${list.length} secrets, more than the ${LIMITS.secretsPerAction} Auth0 allows: ${list.join(', ')}`,
        'give some specs their own Action with action: <name>, or let systems share a secret',
        specs.slice(1).map((s) => ({ message: `spec '${s.name.value}' is part of ${action}`, span: s.name.span })),
      ),
    );
  }
};
