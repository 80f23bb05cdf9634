/**
 * Found by attacking trust (#13, item 3): more of the event is the user's choice than the
 * trust rules knew. The authorize parameters (`transaction.login_hint`, `requested_scopes`,
 * `acr_values`, `ui_locales`, `prompt`, `state`), the User-Agent and Accept-Language headers,
 * the whole profile of a pre-user-registration sign-up, and `user.email` when the condition
 * does not require `user.email_verified`; and a lookup keyed by such data lets the user choose
 * the record that decides. The authorization-claim names missed `is_employee`, `org_id`,
 * `tenant_id`, `email_verified`, `features` and `premium`: now a documented table
 * (AUTHORIZATION_NAMES, shown in docs/reliability.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_NAMES, isAuthorizationName } from '../../../compiler/check/rules/authorizationClaims';
import { REPO } from '../../helpers/compiled';
import { diagnosticsOf, errorCodes } from '../support/project';

const access = (when: string, trigger = 'post-login', extra = '') => `version: 1
name: gate
owner: team-a
trigger: ${trigger}
${extra}access:
  - when: ${when}
    deny: No.
`;

describe('attacker-controlled sources in access rules', () => {
  const cases: [string, string][] = [
    ["transaction.login_hint == 'admin@acme.example'", 'post-login'],
    ["contains(join(transaction.requested_scopes, ' '), 'admin')", 'post-login'],
    ["first(transaction.acr_values) == 'http://schemas.openid.net/pape/policies/2007/06/multi-factor'", 'post-login'],
    ["contains(request.user_agent, 'AcmeKiosk')", 'post-login'],
    ["first(transaction.ui_locales) == 'de'", 'post-login'],
    ["email_domain(user.email) != 'acme.example'", 'post-login'],
    ["email_domain(user.email) != 'acme.example' || user.email_verified", 'post-login'],
    ["user.user_metadata.invited != true", 'pre-user-registration'],
    ["request.body.plan == 'staff'", 'pre-user-registration'],
  ];
  for (const [when, trigger] of cases) {
    it(`${trigger}: ${when} is MAPC0601`, async () => {
      const ds = await diagnosticsOf({ 'gate.yaml': access(when, trigger) });
      expect(errorCodes(ds)).toContain('MAPC0601');
    });
  }

  it('the unverified e-mail says what to add', async () => {
    const ds = await diagnosticsOf({ 'gate.yaml': access("email_domain(user.email) != 'acme.example'") });
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('does not require user.email_verified');
  });

  for (const when of [
    "email_domain(user.email) != 'acme.example' && user.email_verified",
    "user.email_verified == true && email_domain(user.email) != 'acme.example'",
    "user.name == 'Administrator'",
    "transaction.protocol == 'oauth2-refresh-token'",
  ]) {
    it(`post-login: ${when} stays trusted`, async () => {
      expect(errorCodes(await diagnosticsOf({ 'gate.yaml': access(when) }))).toEqual([]);
    });
  }

  it('the pre-user-registration profile is untrusted once it leaves the sign-up: written to app_metadata, it may not make an employee', async () => {
    const signup = `version: 1
name: signup
owner: team-a
trigger: pre-user-registration
fields:
  - to: app_metadata.is_staff
    from: ends_with(user.email, '@acme.example')
  - to: app_metadata.display
    from: user.name
`;
    const claims = `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: access_token.is_employee
    from: user.app_metadata.is_staff
access:
  - when: user.app_metadata.display == 'Administrator'
    deny: No.
`;
    const ds = await diagnosticsOf({ 'signup.yaml': signup, 'claims.yaml': claims });
    expect(errorCodes(ds).sort()).toEqual(['MAPC0601', 'MAPC0602']);
    expect(ds.find((d) => d.code === 'MAPC0602')!.message).toContain('from user.email, which the user can edit');
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('from user.name, which the user can edit');
  });

  for (const when of ["email_domain(user.email) == 'blocked.example'", "user.name == 'Administrator'", "ends_with(user.username, '-staff')"]) {
    it(`a pre-user-registration rule may decide on the sign-up's own profile: ${when}`, async () => {
      expect(errorCodes(await diagnosticsOf({ 'gate.yaml': access(when, 'pre-user-registration') }))).toEqual([]);
    });
  }

  it('a lookup keyed by user-editable data deciding access is MAPC0601: the user chooses the record', async () => {
    const lookups = `lookups:
  invite:
    system: sink
    method: GET
    path: /invites/{{user.user_metadata.invite_code}}
`;
    const ds = await diagnosticsOf({ 'gate.yaml': access("invite.status != 'valid'", 'post-login', lookups) });
    expect(errorCodes(ds)).toEqual(['MAPC0601']);
    const d = ds.find((x) => x.code === 'MAPC0601')!;
    expect(d.message).toContain("lookup 'invite' fetches by a key the user chooses (user.user_metadata.invite_code, which the user can edit)");
    expect(d.related).toHaveLength(1);
  });

  it('a lookup keyed by the unverified e-mail in the query, deciding an authorization claim, is MAPC0602', async () => {
    const spec = `version: 1
name: claims
owner: team-a
trigger: post-login
lookups:
  staff:
    system: sink
    method: GET
    path: /staff
    query: { email: user.email }
fields:
  - to: access_token.is_employee
    from: staff.active
`;
    const ds = await diagnosticsOf({ 'claims.yaml': spec });
    expect(errorCodes(ds)).toEqual(['MAPC0602']);
    const verified = spec.replace('    query: { email: user.email }\n', '    query: { email: user.email }\n    when: user.email_verified\n');
    expect(errorCodes(await diagnosticsOf({ 'claims.yaml': verified }))).toEqual([]);
  });

  it('a lookup keyed by the user id decides access cleanly', async () => {
    const lookups = `lookups:
  sub:
    system: sink
    method: GET
    path: /subscriptions/{{user.user_id}}
`;
    expect(errorCodes(await diagnosticsOf({ 'gate.yaml': access("sub.plan != 'premium'", 'post-login', lookups) }))).toEqual([]);
  });
});

describe('authorization-like claim names', () => {
  for (const name of ['is_employee', 'org_id', 'tenant_id', 'email_verified', 'features', 'premium', 'isPremium', 'enabled_features', 'orgId', 'employee']) {
    it(`${name} is authorization-like, and fed from user_metadata it is MAPC0602`, async () => {
      expect(isAuthorizationName(name)).toBe(true);
      const spec = `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: access_token.${name}
    from: user.user_metadata.x
`;
      expect(errorCodes(await diagnosticsOf({ 'claims.yaml': spec }))).toEqual(['MAPC0602']);
    });
  }

  for (const name of ['locale', 'display_name', 'email_domain', 'favorite_color', 'organization_name']) {
    it(`${name} is not`, () => expect(isAuthorizationName(name)).toBe(false));
  }

  it('docs/reliability.md shows the table the compiler uses', () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs/reliability.md'), 'utf8');
    const table = doc.slice(doc.indexOf('<!-- authorization-names -->'), doc.indexOf('<!-- /authorization-names -->'));
    const rows = table
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split('|').map((c) => c.trim()));
    const shown = rows.map((r) => [r[1]!.replace(/`/g, ''), r[2], r[3]]);
    const expected = [
      ...Object.entries(AUTHORIZATION_NAMES.words).map(([w, why]) => [w, 'a word of the name', why]),
      ...Object.entries(AUTHORIZATION_NAMES.names).map(([n, why]) => [n, 'the whole name', why]),
    ];
    expect(shown).toEqual(expected);
  });
});
