/**
 * MAPC0501/0502/0503/0506: the claims namespace (SPEC 2.1, AUTH0-FACTS §3 "Custom claims").
 * Required as soon as one spec maps a claim; an http(s) URL; not on an Auth0 domain (Auth0
 * drops such claims silently); ending in '/' so `<ns><claim>` stays readable.
 */
import { diag, type Rule } from '../context';
import { parseUrl } from '../urls';


/** Hosts Auth0 reserves for itself; claims namespaced under them are dropped. */
const AUTH0_HOSTS = ['auth0.com', 'webtask.io', 'webtask.run'];

export const claimsNamespace: Rule = (ctx) => {
  const ns = ctx.project.claimsNamespace;
  if (!ns) {
    const firstClaim = ctx.resolved.writes.find((w) => w.target && (w.target.kind === 'id_token' || w.target.kind === 'access_token'));
    if (firstClaim) {
      ctx.report(
        diag(
          'MAPC0501',
          firstClaim.text.span,
          `'${firstClaim.text.value}' adds a token claim, but mapc.yaml has no claims_namespace`,
          'add claims_namespace to mappings/mapc.yaml, for example claims_namespace: https://your-company.example/',
        ),
      );
    }
    return;
  }
  const url = parseUrl(ns.value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    ctx.report(
      diag(
        'MAPC0502',
        ns.span,
        `claims_namespace '${ns.value}' is not an http(s) URL`,
        'use a URL you control, for example https://your-company.example/',
      ),
    );
    return;
  }
  const host = url.hostname.toLowerCase();
  const auth0 = AUTH0_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
  if (auth0) {
    ctx.report(
      diag(
        'MAPC0503',
        ns.span,
        `claims_namespace '${ns.value}' is on ${auth0}, which Auth0 reserves: tokens would silently lack every claim`,
        'use a domain of your own company, for example https://your-company.example/',
      ),
    );
    return;
  }
  if (!ns.value.endsWith('/')) {
    ctx.report(
      diag(
        'MAPC0506',
        ns.span,
        `claims_namespace '${ns.value}' does not end with '/': a claim 'tier' would be named '${ns.value}tier'`,
        `write '${ns.value}/'`,
      ),
    );
  }
};
