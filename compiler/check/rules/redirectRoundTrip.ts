/**
 * MAPC0611-0614: the redirect round trip (SPEC 8, docs/language.md "Redirects"). Auth0 resumes
 * the Action that redirected by calling `onContinuePostLogin` when the user comes back to
 * /continue; mapc generates it from the spec's `continue:` block, after validating the token
 * the page returns (when the spec's redirects send one). These rules keep that sound:
 *
 * - MAPC0611: a `continue:` block needs a redirect rule in the same spec (nothing else resumes).
 * - MAPC0612: reading `continue.<claim>` (or setting `parameter:`/`deny:`) needs a token: without
 *   one, nothing signed comes back and the query of /continue is whatever the user typed.
 * - MAPC0613: all redirects of a spec send a token signed with one secret, or none: the
 *   continue handler validates with that one secret.
 * - MAPC0614 (warning): a gate (`otherwise: deny`) whose redirect sends no token and whose spec
 *   checks nothing on the way back lets a user who returns without completing the page finish
 *   the login.
 * - MAPC0615: Auth0 resumes the Action, not the spec. When several specs of one Action redirect,
 *   the continue handler tells them apart by the /continue parameter that carries the returned
 *   token: each must send a token and read it back from a parameter of its own.
 */
import type { AccessRule, Spec } from '../../model';
import { pathsRead } from '../../expr';
import { TRIGGERS } from '../../triggers';
import { diag, type Rule } from '../context';

function redirects(spec: Spec): (AccessRule & { action: Extract<AccessRule['action'], { kind: 'redirect' }> })[] {
  return spec.access.filter((a): a is AccessRule & { action: Extract<AccessRule['action'], { kind: 'redirect' }> } => a.action.kind === 'redirect');
}

/** Whether the continue: block reads the `continue` root anywhere. */
function readsToken(spec: Spec): boolean {
  const c = spec.continue;
  if (!c) return false;
  const exprs = [...c.fields.flatMap((f) => (f.when ? [f.when] : [])), ...c.access.map((a) => a.when)];
  for (const f of c.fields) if (f.from.kind === 'expr') exprs.push(f.from.expr);
  return exprs.some((e) => pathsRead(e).some((p) => p.root === 'continue')) || c.fields.some((f) => f.from.kind === 'template');
}

export const redirectRoundTrip: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    const rules = redirects(spec);
    const c = spec.continue;
    if (c && rules.length === 0) {
      ctx.report(
        diag(
          'MAPC0611',
          c.span,
          `spec '${spec.name.value}' has a continue: block, but none of its access rules redirects, so it never runs`,
          'add a redirect rule to this spec, or remove the continue: block',
        ),
      );
      continue;
    }
    if (rules.length === 0) continue;
    const withToken = rules.filter((r) => r.action.token);
    const secrets = new Set(withToken.map((r) => r.action.token!.secret.value));
    if ((withToken.length > 0 && withToken.length < rules.length) || secrets.size > 1) {
      const odd = withToken.length < rules.length ? rules.find((r) => !r.action.token)! : withToken.find((r) => r.action.token!.secret.value !== withToken[0]!.action.token!.secret.value)!;
      const first = withToken[0]!;
      ctx.report(
        diag(
          'MAPC0613',
          odd.action.token?.secret.span ?? odd.action.url.span,
          odd.action.token
            ? `this redirect signs its token with ${odd.action.token.secret.value}, another redirect of the spec with ${first.action.token!.secret.value}`
            : 'this redirect sends no token, while another redirect of the spec does',
          "give every redirect of the spec a token: with the same secret (onContinuePostLogin validates the returned token with it), or move one redirect to a spec of its own",
          [{ message: `token signed with ${first.action.token!.secret.value} here`, span: first.action.token!.secret.span }],
        ),
      );
    }
    let expectsToken = false;
    if (c && withToken.length === 0) {
      const what = c.parameter ?? c.deny;
      if (what || readsToken(spec)) {
        expectsToken = true;
        ctx.report(
          diag(
            'MAPC0612',
            what?.span ?? c.span,
            `the continue: block expects a signed token back, but the redirects of spec '${spec.name.value}' send none`,
            'add token: { secret: NAME } to the redirect: the page signs its answer with the same secret',
            rules.map((r) => ({ message: 'redirect without a token', span: r.action.url.span })),
          ),
        );
      }
    }
    const verified = withToken.length > 0 || (c !== undefined && c.access.length > 0);
    // Where a trigger cannot redirect at all, triggerAccess already refuses the rule.
    if (!verified && !expectsToken && TRIGGERS[spec.trigger.value].redirect) {
      for (const r of rules) {
        if (r.action.otherwise.kind !== 'deny') continue;
        ctx.report(
          diag(
            'MAPC0614',
            r.action.url.span,
            'nothing checks what the user did on this page: a user who comes back to /continue without completing it finishes the login',
            "send a token: { secret: NAME } and add a continue: block whose access rules re-check the gate (or mark an optional page with otherwise: continue)",
          ),
        );
      }
    }
  }
  for (const { name: action, specs: members } of ctx.resolved.actions) {
    const specs = members.map((r) => r.spec);
    const redirecting = specs.filter((s) => redirects(s).length > 0);
    if (redirecting.length < 2) continue;
    const byParameter = new Map<string, Spec>();
    for (const spec of redirecting) {
      const first = redirects(spec)[0]!;
      const tokenless = !redirects(spec).some((r) => r.action.token);
      const parameter = spec.continue?.parameter?.value ?? 'session_token';
      const clash = byParameter.get(parameter);
      if (!tokenless && !clash) {
        byParameter.set(parameter, spec);
        continue;
      }
      const others = redirecting.filter((s) => s !== spec).map((s) => `'${s.name.value}'`);
      ctx.report(
        diag(
          'MAPC0615',
          tokenless ? first.action.url.span : (spec.continue?.parameter?.span ?? first.action.url.span),
          tokenless
            ? `spec '${spec.name.value}' redirects without a token, but ${others.join(', ')} of the Action ${action} redirect too: onContinuePostLogin could not tell which page the user comes back from`
            : `spec '${spec.name.value}' reads the returned token from the /continue parameter '${parameter}', like spec '${clash!.name.value}' of the same Action ${action}`,
          tokenless
            ? 'give every redirect of this Action a token: { secret: NAME }, or move this spec to an Action of its own with action: <name>'
            : "give each spec its own continue: { parameter: <name> } (the page returns its token under that name)",
          clash ? [{ message: `spec '${clash.name.value}' redirects here`, span: redirects(clash)[0]!.action.url.span }] : [],
        ),
      );
    }
  }
};
