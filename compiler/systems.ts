/**
 * What a declared system reads and reaches, over the model: used by the checker (secret
 * counts), the IR (the Action's secrets and hosts) and `mapc diff` (new hosts and secrets),
 * so all three agree.
 */
import type { System } from './model';
import { compare } from './order';
import type { Located } from './source';

/** The secret names a system reads (base URL and auth), in declaration order. */
export function systemSecrets(sys: System): Located<string>[] {
  const out: Located<string>[] = [];
  if (sys.baseUrl.kind === 'secret') out.push(sys.baseUrl.secret);
  const a = sys.auth;
  if (a.kind === 'bearer' || a.kind === 'header') out.push(a.secret);
  if (a.kind === 'basic') out.push(a.userSecret, a.passwordSecret);
  return out;
}

/** The hosts a system may reach (its static URL, or every route and the default), sorted and unique; none when the URL is a secret. */
export function systemHosts(sys: System): string[] {
  const b = sys.baseUrl;
  const urls =
    b.kind === 'static' ? [b.url.value] : b.kind === 'routed' ? [...b.routes.map((r) => r.url.value), ...(b.default ? [b.default.value] : [])] : [];
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
