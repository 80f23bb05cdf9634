import { describe, expect, it } from 'vitest';
import { RULES, checkProject } from '../../compiler/check';
import { SEMANTIC_CODES } from '../../compiler/diagnostics/codes/semantic';
import { check, codes, load, projectFile, show } from './helpers';

/** The project and spec of SPEC 2.1/2.2, as a data owner would write them. */
const SPEC_PROJECT = projectFile(`
  claims_namespace: https://acme.example/
  defaults:
    timeout: 2s
    deadline: 8s
    retries: 0
    on_error: continue
  systems:
    billing:
      base_url: https://billing.example.com/api
      auth: { bearer: BILLING_API_KEY }
      timeout: 1500ms
      retries: 1
      owner: team-billing
    crm:
      base_url: https://crm.example.com/api
      auth: { bearer: CRM_API_KEY }
      owner: team-crm
  attributes:
    app_metadata.subscription_tier: { owner: team-billing, type: string, enum: [standard, premium] }
    app_metadata.crm_contact_id:    { owner: team-crm, type: string }
`);

const SPEC_EXAMPLE = `version: 1
name: subscription-enrichment
owner: team-billing
trigger: post-login
description: Enrich the profile with the billing tier and gate premium apps.
on_error: continue
lookups:
  subscription:
    system: billing
    method: GET
    path: /users/{{user.user_id}}/subscription
    when: hours_since(user.app_metadata.last_subscription_sync) > 24 || !exists(user.app_metadata.subscription_tier)
    on_error: deny
    deny_message: Billing is unavailable, please try again later.
fields:
  - to: app_metadata.subscription_tier
    from: subscription.tier
  - to: app_metadata.last_subscription_sync
    from: now()
    when: exists(subscription)
  - to: user_metadata.preferred_locale
    from: identity('google-oauth2').profileData.locale
    transform: [trim, normalize_locale]
  - to: id_token.subscription_tier
    from: coalesce(subscription.tier, user.app_metadata.subscription_tier)
    default: standard
sends:
  - system: crm
    method: POST
    path: /contacts
    when: user.email_verified
    idempotency_key: "{{user.user_id}}"
    body:
      external_id: user.user_id
      email: lower(user.email)
      source: { value: Auth0 Registration }
    store:
      app_metadata.crm_contact_id: response.id
    owner: team-crm
access:
  - when: exists(client.metadata.required_subscription_tier) && user.app_metadata.subscription_tier != client.metadata.required_subscription_tier
    deny: Your subscription tier does not permit access to this application.
  - when: user.app_metadata.subscription_tier == 'trial' && hours_since(user.created_at) > 720
    redirect: { url: https://acme.example/upgrade, query: { plan: "'premium'" } }
`;

describe('checkProject', () => {
  it('accepts the SPEC 2.2 example; only its unverified upgrade redirect is warned about (MAPC0614)', () => {
    const ds = check({ 'mapc.yaml': SPEC_PROJECT, 'subscription.yaml': SPEC_EXAMPLE });
    expect(codes(ds)).toEqual(['mappings/subscription.yaml:44:22 MAPC0614']);
    expect(ds[0]!.severity).toBe('warning');
  });

  it('also runs the expression checker (MAPC03xx), before the semantic rules', () => {
    const ds = check({
      'a.yaml': SPEC_EXAMPLE.replace('    owner: team-crm\n', '')
        .replace('from: subscription.tier\n', 'from: lower(usr.email)\n'),
      'mapc.yaml': SPEC_PROJECT,
    });
    const shown = ds.map(show);
    expect(shown[0]).toMatch(/^mappings\/a\.yaml:17:17 MAPC03\d\d$/);
    // The send's store now belongs to team-billing, but crm_contact_id is team-crm's.
    expect(shown.slice(1)).toEqual(['mappings/a.yaml:38:7 MAPC0406', 'mappings/a.yaml:43:22 MAPC0614']);
  });

  it('is deterministic: the same input gives the same diagnostics in the same order', () => {
    const files = {
      'mapc.yaml': projectFile(`
        defaults:
          deadline: 25s
          on_error: deny
      `),
      'b.yaml': 'version: 1\nname: a\nowner: t\ntrigger: post-change-password\nfields:\n  - to: id_token.scope\n    from: user.user_id\n',
      'a.yaml': 'version: 1\nname: a\nowner: t\ntrigger: post-user-registration\nfields:\n  - to: app_metadata.x\n    from: user.email\n',
    };
    const first = check(files).map(show);
    expect(first).toEqual([
      'mappings/b.yaml:2:7 MAPC0707',
      'mappings/a.yaml:6:9 MAPC0403',
      'mappings/b.yaml:6:9 MAPC0505',
      'mappings/b.yaml:6:9 MAPC0501',
      'mappings/b.yaml:6:9 MAPC0504',
      'mappings/a.yaml:4:10 MAPC0605',
      'mappings/b.yaml:4:10 MAPC0605',
      'mappings/mapc.yaml:3:13 MAPC0703',
    ]);
    expect(checkProject(load(files)).map(show)).toEqual(first);
  });

  it('runs each rule once, in a fixed order, and every semantic code is documented with an example', () => {
    expect(new Set(RULES.map(([name]) => name)).size).toBe(RULES.length);
    for (const [code, info] of Object.entries(SEMANTIC_CODES)) {
      expect(info.code).toBe(code);
      expect(code).toMatch(/^MAPC0[4-7]\d\d$/);
      expect(info.example).not.toBe('');
    }
  });
});
