/**
 * One pull request that changes the sample project in every way `mapc diff` reports: mappings
 * (source, transform, condition, target, owner), lookups and sends (system, method, path, body,
 * policy, timeout, retries), systems (hosts, auth, secrets), access rules, attributes, the
 * claims namespace, a spec added, one removed and one only moved to another file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { edit, write } from './helpers';

export function applyEveryChange(dir: string): void {
  const m = (f: string) => `mappings/${f}`;
  // Project: namespace, deadline, a system's timeout and auth (new secret), a new system (new
  // host, new secret), an attribute handed to another team, a new attribute.
  edit(dir, m('mapc.yaml'), 'claims_namespace: https://acme.example/', 'claims_namespace: https://id.acme.example/');
  edit(dir, m('mapc.yaml'), 'deadline: 8s', 'deadline: 10s');
  edit(dir, m('mapc.yaml'), 'auth: { header: X-Api-Key, secret: BILLING_API_KEY }\n    timeout: 1s', 'auth: { bearer: BILLING_TOKEN }\n    timeout: 3s');
  edit(
    dir,
    m('mapc.yaml'),
    '\nattributes:',
    '  fraud:\n    base_url: https://fraud.partner.example\n    auth: { bearer: FRAUD_API_KEY }\n    owner: team-security\n\nattributes:',
  );
  edit(dir, m('mapc.yaml'), 'app_metadata.order_count: { owner: team-commerce', 'app_metadata.order_count: { owner: team-analytics');
  edit(dir, m('mapc.yaml'), '  user_metadata.marketing_consent:', '  app_metadata.fraud_score: { owner: team-security, type: number }\n  user_metadata.marketing_consent:');

  // subscription-enrichment: a transform, a condition, a policy switched to deny, a redirect changed.
  const sub = m('subscription-enrichment.yaml');
  edit(dir, sub, '    from: lower(subscription.tier)\n  - to: app_metadata.subscription_status', '    from: lower(subscription.tier)\n    transform: [trim]\n  - to: app_metadata.subscription_status');
  edit(dir, sub, 'when: exists(subscription)', 'when: exists(subscription.tier)');
  edit(dir, sub, "!exists(user.app_metadata.subscription_tier)\n", "!exists(user.app_metadata.subscription_tier)\n    on_error: deny\n");
  edit(dir, sub, 'url: https://acme.example/upgrade', 'url: https://acme.example/upgrade/now');

  // risk-check: the MFA rule's threshold lowered, a new deny rule, a longer timeout.
  const risk = m('risk-check.yaml');
  edit(dir, risk, 'risk.score >= 0.6', 'risk.score >= 0.5');
  edit(dir, risk, '    mfa: any', "    mfa: any\n  - when: request.geoip.countryCode == 'XX'\n    deny: Sign-in from this country is not available.");
  edit(dir, risk, "    on_error: deny\n", '    on_error: deny\n    timeout: 1200ms\n');

  // token-claims: a claim renamed, a claim removed.
  const tok = m('token-claims.yaml');
  edit(dir, tok, 'id_token.beta_tester', 'id_token.beta');
  edit(dir, tok, '  - to: access_token.roles\n    from: user.app_metadata.roles\n    when: is_array(value)\n', '');

  // crm-profile-sync: a claim's source, the send's body, retries raised.
  const crm = m('crm-profile-sync.yaml');
  edit(dir, crm, 'from: coalesce(contact.id, user.app_metadata.crm_contact_id)', 'from: coalesce(user.app_metadata.crm_contact_id, contact.id)');
  edit(dir, crm, "      crm_status: coalesce(user.app_metadata.crm_status, 'active')", "      crm_status: coalesce(user.app_metadata.crm_status, 'active')\n      locale: user.user_metadata.preferred_locale\n    retries: 3");

  // social-profile: a claim added. order-summary: another owner, another path.
  edit(dir, m('social-profile.yaml'), 'fields:\n', 'fields:\n  - to: id_token.locale\n    from: user.user_metadata.preferred_locale\n');
  edit(dir, m('order-summary.yaml'), 'owner: team-commerce', 'owner: team-analytics');
  edit(dir, m('order-summary.yaml'), 'path: /customers/', 'path: /v2/customers/');

  // marketing-sync removed; crm-contact only moved; fraud-check added.
  fs.rmSync(path.join(dir, m('marketing-sync.yaml')));
  fs.mkdirSync(path.join(dir, m('crm')), { recursive: true });
  fs.renameSync(path.join(dir, m('crm-contact.yaml')), path.join(dir, m('crm/registration-contact.yaml')));
  write(
    dir,
    m('fraud-check.yaml'),
    [
      'version: 1',
      'name: fraud-check',
      'owner: team-security',
      'trigger: post-login',
      'lookups:',
      '  fraud:',
      '    system: fraud',
      '    method: POST',
      '    path: /v1/score',
      '    body: { user_id: user.user_id, ip: request.ip }',
      'fields:',
      '  - to: app_metadata.fraud_score',
      '    from: fraud.score',
      '',
    ].join('\n'),
  );
}
