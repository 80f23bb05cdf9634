import type { CodeInfo } from './types';

/**
 * Codes of the semantic area (MAPC04-07xx), reported by compiler/check. Keep codes stable:
 * never renumber; retire a code by leaving it here with "(retired)" in its title.
 * MAPC0408 (token claim as a registry key) and MAPC0705 (too many retries) never shipped: the
 * schema reports those mistakes first (MAPC0205, MAPC0206). Do not reuse the two numbers.
 * 04 targets, ownership, systems; 05 claims; 06 access and trust; 07 limits and secrets.
 */
export const SEMANTIC_CODES = {
  // ── 04: targets, ownership, systems ─────────────────────────────────────────────────────
  MAPC0401: {
    code: 'MAPC0401',
    severity: 'error',
    title: 'invalid target',
    example: 'fields:\n  - to: app_metadata.2fa_enabled   # a key must start with a letter or _\n    from: user.email',
  },
  MAPC0402: {
    code: 'MAPC0402',
    severity: 'error',
    title: 'target uses a reserved key (__proto__, constructor, prototype)',
    example: 'fields:\n  - to: app_metadata.__proto__.admin\n    from: "true"',
  },
  MAPC0403: {
    code: 'MAPC0403',
    severity: 'error',
    title: 'metadata write on a trigger that cannot set metadata',
    example: 'trigger: post-user-registration\nfields:\n  - to: app_metadata.crm_contact_id\n    from: user.user_id',
  },
  MAPC0404: {
    code: 'MAPC0404',
    severity: 'error',
    title: 'target written more than once',
    example: '# crm.yaml and billing.yaml both have:\nfields:\n  - to: app_metadata.tier\n    from: user.email',
  },
  MAPC0405: {
    code: 'MAPC0405',
    severity: 'error',
    title: 'target overlaps a target written elsewhere (parent and nested key)',
    example: 'fields:\n  - to: app_metadata.address\n    from: lookup.address\n  - to: app_metadata.address.city\n    from: lookup.city',
  },
  MAPC0406: {
    code: 'MAPC0406',
    severity: 'error',
    title: 'target written by an owner other than its registered owner',
    example: '# mapc.yaml: attributes: { app_metadata.tier: { owner: team-billing, type: string } }\nowner: team-crm\nfields:\n  - to: app_metadata.tier\n    from: user.email',
  },
  MAPC0407: {
    code: 'MAPC0407',
    severity: 'error',
    title: 'literal value breaks the registered type or enum',
    example: '# attributes: { app_metadata.tier: { owner: t, type: string, enum: [standard, premium] } }\nfields:\n  - to: app_metadata.tier\n    from: user.x\n    default: gold',
  },
  MAPC0409: {
    code: 'MAPC0409',
    severity: 'error',
    title: 'unknown system',
    example: 'lookups:\n  sub:\n    system: biling      # not declared under systems: in mapc.yaml\n    method: GET\n    path: /x',
  },
  MAPC0410: {
    code: 'MAPC0410',
    severity: 'error',
    title: 'system URL is not https',
    example: 'systems:\n  crm:\n    base_url: http://crm.example.com',
  },
  MAPC0411: {
    code: 'MAPC0411',
    severity: 'warning',
    title: 'system URL uses plain http on localhost',
    example: 'systems:\n  crm:\n    base_url: http://localhost:8080',
  },
  MAPC0412: {
    code: 'MAPC0412',
    severity: 'error',
    title: 'system URL is not a valid base URL',
    example: 'systems:\n  crm:\n    base_url: https://crm.example.com/api?key=1',
  },
  MAPC0413: {
    code: 'MAPC0413',
    severity: 'warning',
    title: 'system is not used by any spec',
    example: 'systems:\n  legacy:\n    base_url: https://legacy.example.com\n    auth: none',
  },
  MAPC0414: {
    code: 'MAPC0414',
    severity: 'warning',
    title: 'spec reads a target that another spec of the same trigger writes (it sees the old value)',
    example: '# a.yaml writes app_metadata.tier; b.yaml (same trigger) reads:\nwhen: user.app_metadata.tier == \'premium\'',
  },
  MAPC0415: {
    code: 'MAPC0415',
    severity: 'error',
    title: 'attribute registry enum value does not match its type',
    example: 'attributes:\n  app_metadata.level: { owner: t, type: number, enum: [low, high] }',
  },
  MAPC0416: {
    code: 'MAPC0416',
    severity: 'error',
    title: 'request header that breaks the request or is set elsewhere',
    example: "lookups:\n  crm:\n    system: crm\n    method: GET\n    path: /x\n    headers: { Content-Length: '0' }",
  },
  MAPC0417: {
    code: 'MAPC0417',
    severity: 'error',
    title: 'shared lookup (uses:) that names no lookup of another spec in the same Action',
    example: 'uses:\n  subscription: subscription-enrichmnt.subscription',
  },
  MAPC0418: {
    code: 'MAPC0418',
    severity: 'error',
    title: "output the trigger's api does not offer (scopes and SAML attributes on post-login, user_id on pre-user-registration, validation_error on both)",
    example: 'trigger: post-login\nfields:\n  - to: user_id\n    from: user.email',
  },

  // ── 05: claims ──────────────────────────────────────────────────────────────────────────
  MAPC0501: {
    code: 'MAPC0501',
    severity: 'error',
    title: 'claims_namespace is required when a spec maps a token claim',
    example: '# mapc.yaml has no claims_namespace, and a spec has:\nfields:\n  - to: id_token.tier\n    from: user.app_metadata.tier',
  },
  MAPC0502: {
    code: 'MAPC0502',
    severity: 'error',
    title: 'claims_namespace is not an http(s) URL',
    example: 'claims_namespace: acme',
  },
  MAPC0503: {
    code: 'MAPC0503',
    severity: 'error',
    title: 'claims_namespace is on an Auth0 domain',
    example: 'claims_namespace: https://acme.auth0.com/',
  },
  MAPC0504: {
    code: 'MAPC0504',
    severity: 'error',
    title: 'claim named scope',
    example: 'fields:\n  - to: access_token.scope\n    from: user.app_metadata.scope',
  },
  MAPC0505: {
    code: 'MAPC0505',
    severity: 'error',
    title: 'claim on a trigger that does not issue that token',
    example: 'trigger: credentials-exchange\nfields:\n  - to: id_token.tier\n    from: client.metadata.tier',
  },
  MAPC0506: {
    code: 'MAPC0506',
    severity: 'warning',
    title: "claims_namespace does not end with '/' (claim names run into it)",
    example: 'claims_namespace: https://acme.example',
  },

  // ── 06: access and trust ────────────────────────────────────────────────────────────────
  MAPC0601: {
    code: 'MAPC0601',
    severity: 'error',
    title: 'access rule decides on data the user can edit',
    example: 'access:\n  - when: user.user_metadata.tier != \'premium\'\n    deny: Premium only.',
  },
  MAPC0602: {
    code: 'MAPC0602',
    severity: 'error',
    title: 'authorization claim fed from data the user can edit',
    example: 'fields:\n  - to: access_token.roles\n    from: user.user_metadata.roles',
  },
  MAPC0603: {
    code: 'MAPC0603',
    severity: 'error',
    title: 'system routed by data the user can edit',
    example: 'systems:\n  orders:\n    base_url:\n      by: request.query.region\n      routes: { eu: https://eu.example.com }',
  },
  MAPC0604: {
    code: 'MAPC0604',
    severity: 'error',
    title: 'deny on a trigger that cannot deny',
    example: 'trigger: post-user-registration\non_error: deny',
  },
  MAPC0605: {
    code: 'MAPC0605',
    severity: 'warning',
    title: 'project default on_error: deny does not apply on a trigger that cannot deny',
    example: '# mapc.yaml: defaults: { on_error: deny }\ntrigger: post-change-password',
  },
  MAPC0606: {
    code: 'MAPC0606',
    severity: 'error',
    title: 'redirect on a trigger that cannot redirect',
    example: 'trigger: pre-user-registration\naccess:\n  - when: "true"\n    redirect: { url: https://acme.example/x }',
  },
  MAPC0607: {
    code: 'MAPC0607',
    severity: 'error',
    title: 'mfa on a trigger that cannot enable MFA',
    example: 'trigger: credentials-exchange\naccess:\n  - when: "true"\n    mfa: any',
  },
  MAPC0608: {
    code: 'MAPC0608',
    severity: 'error',
    title: 'redirect URL is not an absolute https URL',
    example: 'access:\n  - when: "true"\n    redirect: { url: /upgrade }',
  },
  MAPC0609: {
    code: 'MAPC0609',
    severity: 'warning',
    title: 'deny_message without on_error: deny (never shown)',
    example: 'lookups:\n  sub:\n    system: billing\n    method: GET\n    path: /x\n    deny_message: Billing is down.',
  },
  MAPC0610: {
    code: 'MAPC0610',
    severity: 'warning',
    title: 'on_error: deny without deny_message (a generic message is shown)',
    example: 'lookups:\n  sub:\n    system: billing\n    method: GET\n    path: /x\n    on_error: deny',
  },
  MAPC0611: {
    code: 'MAPC0611',
    severity: 'error',
    title: 'continue: block in a spec that never redirects',
    example: 'continue:\n  fields:\n    - to: app_metadata.tier\n      from: continue.tier\n# but no access rule of this spec redirects',
  },
  MAPC0612: {
    code: 'MAPC0612',
    severity: 'error',
    title: "continue: reads the page's token, but the spec's redirects send none",
    example: "access:\n  - when: \"true\"\n    redirect: { url: https://acme.example/upgrade }\ncontinue:\n  fields:\n    - to: app_metadata.tier\n      from: continue.tier",
  },
  MAPC0613: {
    code: 'MAPC0613',
    severity: 'error',
    title: "a spec's redirects disagree on their token (one secret for all, or none)",
    example: 'access:\n  - when: a\n    redirect: { url: https://x.example, token: { secret: A } }\n  - when: b\n    redirect: { url: https://y.example, token: { secret: B } }',
  },
  MAPC0614: {
    code: 'MAPC0614',
    severity: 'warning',
    title: 'redirect gate that nothing verifies on the way back',
    example: "access:\n  - when: user.app_metadata.tier == 'trial'\n    redirect: { url: https://acme.example/upgrade }   # no token, no continue: access",
  },
  MAPC0615: {
    code: 'MAPC0615',
    severity: 'error',
    title: 'several specs of one Action redirect without telling their way back apart',
    example: '# upgrade.yaml and consent.yaml (both post-login) redirect; one sends no token, or both\n# read the returned token from the same /continue parameter',
  },

  // ── 07: limits and secrets ──────────────────────────────────────────────────────────────
  MAPC0701: {
    code: 'MAPC0701',
    severity: 'error',
    title: 'secret name too long (Auth0 allows 128 characters)',
    example: 'systems:\n  crm:\n    base_url: https://crm.example.com\n    auth: { bearer: CRM_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_API_KEY_ }   # longer than 128 characters',
  },
  MAPC0702: {
    code: 'MAPC0702',
    severity: 'error',
    title: 'too many secrets in one Action (Auth0 allows 30)',
    example: '# 31 systems with distinct secrets used by post-login specs',
  },
  MAPC0703: {
    code: 'MAPC0703',
    severity: 'error',
    title: "deadline is not below Auth0's 20 s flow limit",
    example: 'defaults:\n  deadline: 20s',
  },
  MAPC0704: {
    code: 'MAPC0704',
    severity: 'warning',
    title: 'timeout is longer than the deadline',
    example: 'defaults:\n  deadline: 5s\nsystems:\n  crm:\n    timeout: 8s',
  },
  MAPC0706: {
    code: 'MAPC0706',
    severity: 'error',
    title: 'too many Actions on one trigger (Auth0 allows 20)',
    example: '# 21 specs on post-login, each with its own action:',
  },
  MAPC0707: {
    code: 'MAPC0707',
    severity: 'error',
    title: 'spec name used twice',
    example: '# a.yaml and b.yaml both have:\nname: crm-sync',
  },
  MAPC0708: {
    code: 'MAPC0708',
    severity: 'error',
    title: 'invalid Action name',
    example: 'action: CRM Sync!',
  },
  MAPC0709: {
    code: 'MAPC0709',
    severity: 'error',
    title: 'Action name already used by another trigger or Action',
    example: 'trigger: post-login\naction: mapc-pre-user-registration',
  },
  MAPC0710: {
    code: 'MAPC0710',
    severity: 'error',
    title: "the Actions of one trigger can take longer together than Auth0's 20 s",
    example: '# three specs on post-login, each with its own action: and deadline: 8s (24 s together)',
  },
  MAPC0711: {
    code: 'MAPC0711',
    severity: 'error',
    title: 'specs of one Action set different deadlines',
    example: '# a.yaml: action: crm-sync, deadline: 3s\n# b.yaml: action: crm-sync, deadline: 5s',
  },
} as const satisfies Record<string, CodeInfo>;

/** A code of the semantic area. */
export type SemanticCode = keyof typeof SEMANTIC_CODES;
