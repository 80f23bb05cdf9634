/**
 * What a declared system reads and reaches, over the model: used by the checker (secret
 * counts), the IR (the Action's secrets and hosts) and `mapc diff` (new hosts and secrets),
 * so all three agree.
 */
import type { Auth, System } from './model';
import { compare } from './order';
import type { Located } from './source';

/** The secret names a system reads (base URL, auth, then each route's own auth), in declaration order. */
export function systemSecrets(sys: System): Located<string>[] {
  const out: Located<string>[] = [];
  if (sys.baseUrl.kind === 'secret') out.push(sys.baseUrl.secret);
  for (const a of systemAuths(sys)) {
    if (a.kind === 'bearer' || a.kind === 'header') out.push(a.secret);
    if (a.kind === 'basic') out.push(a.userSecret, a.passwordSecret);
    if (a.kind === 'oauth2') out.push(a.clientIdSecret, a.clientSecretSecret);
  }
  return out;
}

/** Every way a system authenticates: its `auth`, then the routes' own (a routed system may give a route its own credentials). */
export function systemAuths(sys: System): Auth[] {
  const b = sys.baseUrl;
  return [sys.auth, ...(b.kind === 'routed' ? b.routes.flatMap((r) => (r.auth ? [r.auth] : [])) : [])];
}

/**
 * The hosts a system may reach (its static URL, or every route and the default, and the token
 * URL of each oauth2 auth), sorted and unique; a base URL behind a secret adds none.
 */
export function systemHosts(sys: System): string[] {
  const b = sys.baseUrl;
  const urls = [
    ...(b.kind === 'static' ? [b.url.value] : b.kind === 'routed' ? [...b.routes.map((r) => r.url.value), ...(b.default ? [b.default.value] : [])] : []),
    ...systemAuths(sys).flatMap((a) => (a.kind === 'oauth2' ? [a.tokenUrl.value] : [])),
  ];
  const hosts = new Set<string>();
  for (const url of urls) {
    try {
      hosts.add(new URL(url).host);
    } catch {
      // Not a URL: the checker reports it; it reaches no host.
    }
  }
  return [...hosts].sort(compare);
}
