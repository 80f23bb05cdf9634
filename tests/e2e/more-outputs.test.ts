/**
 * More of Auth0's outputs (#18 item 8), in generated Actions loaded as Auth0 loads them and run
 * against the emulator's Auth0-faithful api: access-token scopes (`scopes.<scope>`: true adds,
 * false removes), SAML attributes (`saml.<attribute>`), the id of the user a sign-up creates
 * (`user_id`, pre-user-registration) and `validation_error` access rules. The compiler refuses
 * each where the trigger's api lacks it (MAPC0418) and refuses scopes or authorization-like
 * SAML attributes fed by data the user can choose (MAPC0602); the runtime refuses values
 * Auth0 would (a non-boolean scope, an object as a SAML value, an invalid user id) and logs it.
 */
import { describe, expect, it } from 'vitest';
import { compileFiles, compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
systems:
  audit:
    base_url: https://audit.example
    owner: team-identity
`;

const LOGIN = `version: 1
name: outputs
owner: team-identity
trigger: post-login
fields:
  - to: scopes.read:premium
    from: user.app_metadata.tier == 'premium'
  - to: scopes.write:admin
    from: "false"
  - to: saml.http://schemas.xmlsoap.org/claims/Group
    from: user.app_metadata.groups
  - to: saml.department
    from: user.app_metadata.department
access:
  - when: user.app_metadata.blocked == true
    validation_error: { code: account_blocked, message: This account is blocked. }
sends:
  - system: audit
    method: POST
    path: /logins
    body: { user: user.user_id }
`;

const SIGNUP = `version: 1
name: ids
owner: team-identity
trigger: pre-user-registration
fields:
  - to: user_id
    from: "concat('u.', lower(user.username))"
access:
  - when: ends_with(user.email, '@blocked.example')
    validation_error: { code: domain_blocked, message: Sign-ups from this domain are closed. }
`;

async function project(files: Record<string, string>) {
  return compileOrThrow('mappings', tempProject({ 'mappings/mapc.yaml': PROJECT, ...files }));
}

async function codes(files: Record<string, string>) {
  const r = await compileFiles({ 'mappings/mapc.yaml': PROJECT, ...files });
  return r.diagnostics.map((d) => [d.code, d.message]);
}

describe('post-login outputs', () => {
  it('add and remove scopes, set SAML attributes, and stop with a validation error (no send after it)', async () => {
    const compiled = await project({ 'mappings/outputs.yaml': LOGIN });
    const ok = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1', app_metadata: { tier: 'premium', groups: ['staff', 'ops'], department: 'Sales' } } },
      scripts: { audit: [{ method: 'POST', path: '/logins', status: 204 }] },
    });
    expect(ok.threw).toBeUndefined();
    expect(ok.record.errors).toEqual([]);
    expect(ok.record.scopes).toEqual({ added: ['read:premium'], removed: ['write:admin'] });
    expect(ok.record.samlAttributes).toEqual({ 'http://schemas.xmlsoap.org/claims/Group': ['staff', 'ops'], department: 'Sales' });
    expect(ok.record.access).toEqual({ kind: 'allow' });
    expect(ok.requests).toHaveLength(1);

    const basic = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: { tier: 'basic' } } }, scripts: { audit: [{ method: 'POST', status: 204 }] } });
    expect(basic.record.scopes).toEqual({ added: [], removed: ['read:premium', 'write:admin'] });
    expect(basic.record.samlAttributes).toEqual({});

    const blocked = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: { blocked: true } } }, scripts: { audit: [{ method: 'POST', status: 204 }] } });
    expect(blocked.record.validationErrors).toEqual([{ code: 'account_blocked', message: 'This account is blocked.' }]);
    expect(blocked.record.access).toMatchObject({ kind: 'deny', code: 'account_blocked' });
    expect(blocked.requests).toEqual([]);
    expect(blocked.logs.join('\n')).toContain('"status":"validation_error"');
  });

  it('refuses values Auth0 would refuse, and logs them', async () => {
    const compiled = await project({
      'mappings/outputs.yaml': LOGIN.replace("from: user.app_metadata.tier == 'premium'", 'from: user.app_metadata.tier'),
    });
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { app_metadata: { tier: 'premium', groups: [{ nested: true }] } } },
      scripts: { audit: [{ method: 'POST', status: 204 }] },
    });
    expect(r.threw).toBeUndefined();
    expect(r.record.errors).toEqual([]);
    expect(r.record.scopes.added).toEqual([]);
    expect(r.record.samlAttributes).toEqual({});
    const rejected = r.logs.filter((l) => l.includes('"status":"rejected"'));
    expect(rejected.join('\n')).toContain('scopes.read:premium needs true (add) or false (remove)');
    expect(rejected.join('\n')).toContain('SAML value must be scalars: saml.http://schemas');
  });
});

describe('pre-user-registration outputs', () => {
  it('set the id of the user the sign-up creates, refuse an id Auth0 would refuse, and stop with a validation error', async () => {
    const compiled = await project({ 'mappings/ids.yaml': SIGNUP });
    const ok = await runCompiled(compiled, 'mapc-pre-user-registration', { event: { user: { username: 'Jane.Doe', email: 'jane@example.com' } } });
    expect(ok.threw).toBeUndefined();
    expect(ok.record.userId).toBe('u.jane.doe');
    expect(ok.record.errors).toEqual([]);

    const bad = await runCompiled(compiled, 'mapc-pre-user-registration', { event: { user: { username: 'jane doe', email: 'jane@example.com' } } });
    expect(bad.record.userId).toBeUndefined();
    expect(bad.logs.join('\n')).toContain('user_id is not an id Auth0 accepts (1-255 letters, digits, . _ + -)');

    const blocked = await runCompiled(compiled, 'mapc-pre-user-registration', { event: { user: { username: 'x', email: 'x@blocked.example' } } });
    expect(blocked.record.validationErrors).toEqual([{ code: 'domain_blocked', message: 'Sign-ups from this domain are closed.' }]);
  });
});

describe('the compiler', () => {
  it("refuses outputs the trigger's api does not offer (MAPC0418)", async () => {
    const onSignup = LOGIN.replace('trigger: post-login', 'trigger: pre-user-registration').replace(/sends:[\s\S]*$/, '');
    expect((await codes({ 'mappings/outputs.yaml': onSignup })).filter(([c]) => c === 'MAPC0418')).toEqual([
      ['MAPC0418', "pre-user-registration has no api.accessToken.addScope/removeScope, so 'scopes.read:premium' cannot be written"],
      ['MAPC0418', "pre-user-registration has no api.accessToken.addScope/removeScope, so 'scopes.write:admin' cannot be written"],
      ['MAPC0418', "pre-user-registration has no api.samlResponse.setAttribute, so 'saml.http://schemas.xmlsoap.org/claims/Group' cannot be written"],
      ['MAPC0418', "pre-user-registration has no api.samlResponse.setAttribute, so 'saml.department' cannot be written"],
    ]);
    const idAtLogin = SIGNUP.replace('trigger: pre-user-registration', 'trigger: post-user-registration');
    expect((await codes({ 'mappings/ids.yaml': idAtLogin })).filter(([c]) => c === 'MAPC0418')).toEqual([
      ['MAPC0418', "post-user-registration has no api.user.setUserId, so 'user_id' cannot be written"],
      ['MAPC0418', 'post-user-registration has no api.validation.error, so this rule would never take effect'],
    ]);
  });

  it('refuses scopes and authorization-like SAML attributes the user could choose (MAPC0602)', async () => {
    const tainted = LOGIN.replace("user.app_metadata.tier == 'premium'", "user.user_metadata.tier == 'premium'").replace('from: user.app_metadata.groups', 'from: user.user_metadata.groups');
    const found = (await codes({ 'mappings/outputs.yaml': tainted })).filter(([c]) => c === 'MAPC0602').map(([, m]) => m);
    expect(found).toEqual([
      "the scope 'read:premium' grants access, but it is computed from user.user_metadata.tier, which the user can edit",
      "the SAML attribute 'http://schemas.xmlsoap.org/claims/Group' looks like an authorization claim, but it is computed from user.user_metadata.groups, which the user can edit",
    ]);
  });

  it('checks target syntax and the validation error lengths', async () => {
    const bad = await codes({ 'mappings/outputs.yaml': LOGIN.replace('scopes.read:premium', 'scopes.') });
    expect(bad.map(([c, m]) => `${c} ${m}`).join('\n')).toMatch(/MAPC0205 .*scopes\..*saml\.<attribute> or user_id/);
    const long = await codes({ 'mappings/outputs.yaml': LOGIN.replace('code: account_blocked', `code: ${'x'.repeat(101)}`) });
    expect(long.map(([c]) => c)).toContain('MAPC0207');
  });
});
