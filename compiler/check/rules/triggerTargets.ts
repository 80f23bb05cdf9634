/**
 * MAPC0403/0505: a trigger can only write what its `api` offers (SPEC 4, compiler/triggers.ts):
 * metadata on post-login and pre-user-registration; id_token claims on post-login;
 * access_token claims on post-login and credentials-exchange.
 */
import { TRIGGERS } from '../../triggers';
import { diag, type Rule } from '../context';


export const triggerTargets: Rule = (ctx) => {
  for (const w of ctx.resolved.writes) {
    const t = w.target;
    if (!t) continue;
    const trigger = w.spec.trigger.value;
    const info = TRIGGERS[trigger];
    const related = [{ message: `the spec runs on ${trigger}`, span: w.spec.trigger.span }];
    if (t.kind === 'app_metadata' || t.kind === 'user_metadata') {
      if (info.metadataWrites) continue;
      ctx.report(
        diag(
          'MAPC0403',
          w.text.span,
          `${trigger} cannot set ${t.kind}: '${w.text.value}' would never be saved`,
          `move this write to a post-login spec (${trigger} cannot set metadata)`,
          related,
        ),
      );
    } else if (t.kind === 'id_token' && !info.idTokenClaims) {
      ctx.report(
        diag(
          'MAPC0505',
          w.text.span,
          `${trigger} issues no ID token, so the claim '${t.claim}' cannot be added`,
          'ID token claims are set at login: move this claim to a post-login spec',
          related,
        ),
      );
    } else if ((t.kind === 'scopes' && !info.scopes) || (t.kind === 'saml' && !info.samlAttributes) || (t.kind === 'user_id' && !info.setUserId)) {
      const [api, where] =
        t.kind === 'scopes'
          ? ['api.accessToken.addScope/removeScope', 'post-login']
          : t.kind === 'saml'
            ? ['api.samlResponse.setAttribute', 'post-login']
            : ['api.user.setUserId', 'pre-user-registration (the id of the user a sign-up creates)'];
      ctx.report(diag('MAPC0418', w.text.span, `${trigger} has no ${api}, so '${w.text.value}' cannot be written`, `${api} exists on ${where} only: move this write there`, related));
    } else if (t.kind === 'access_token' && !info.accessTokenClaims) {
      ctx.report(
        diag(
          'MAPC0505',
          w.text.span,
          `${trigger} issues no access token, so the claim '${t.claim}' cannot be added`,
          'access token claims are set on post-login (users) or credentials-exchange (machine-to-machine): move this claim there',
          related,
        ),
      );
    }
  }
};
