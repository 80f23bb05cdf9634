/**
 * The secret values and test-user e-mail addresses the hardening runs use, and a scanner that
 * finds any of them in text in the forms a leak would take (as is, lower-cased, URL-encoded,
 * JSON-escaped, base64 as in a Basic header).
 */

/** Secret values of the sample organisation's systems during hardening runs. */
export const SECRETS: Readonly<Record<string, string>> = {
  CRM_API_KEY: 'crm-secret-value-1f3a',
  BILLING_API_KEY: 'billing-secret-value-77c2',
  ORDERS_API_KEY: 'orders-secret-value-0b9e',
  RISK_API_KEY: 'risk-secret-value-5d41',
  MARKETING_USER: 'marketing-user-value-a0a0',
  MARKETING_PASSWORD: 'marketing-password-value-c3c3',
  UPGRADE_TOKEN_SECRET: 'upgrade-token-secret-value-9e9e',
};

/** E-mail addresses of the test users. */
export const EMAILS = ['jane.doe@example.com', 'Zoe.Unal+vip@corp.example.org', 'ünal.zoë@exämple.de', 'o\'brien@example.net'];

/** The forms in which `s` could appear in a leak. */
function forms(s: string): string[] {
  const out = new Set([s, s.toLowerCase(), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]);
  return [...out].filter((f) => f.length >= 4);
}

const NEEDLES: readonly [string, string][] = [
  ...Object.entries(SECRETS).flatMap(([name, v]) => forms(v).map((f): [string, string] => [`secret ${name}`, f])),
  [`basic credentials`, Buffer.from(`${SECRETS['MARKETING_USER']}:${SECRETS['MARKETING_PASSWORD']}`).toString('base64')],
  ...EMAILS.flatMap((e) => forms(e).map((f): [string, string] => [`e-mail ${e}`, f])),
];

/** What of the secrets and e-mail addresses `text` contains, e.g. `['secret CRM_API_KEY']`; empty when clean. */
export function leaks(text: string): string[] {
  const found = new Set<string>();
  for (const [what, needle] of NEEDLES) if (text.includes(needle)) found.add(what);
  return [...found];
}
