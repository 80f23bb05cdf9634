import { describe, expect, it } from 'vitest';
import { isAuthorizationName } from '../../compiler/check/rules/authorizationClaims';
import { check, codes, projectFile, spec, where } from './helpers';

const tierClaim = spec('a', 'post-login', `
  fields:
    - to: id_token.tier
      from: user.app_metadata.tier
`);

describe('claimsNamespace (MAPC0501, 0502, 0503, 0506)', () => {
  it('requires a namespace when a spec maps a claim, at the first claim', () => {
    const ds = check({ 'mapc.yaml': 'version: 1\n', 'a.yaml': tierClaim });
    expect(codes(ds)).toEqual(['mappings/a.yaml:6:9 MAPC0501']);
  });

  it('rejects a namespace that is not an http(s) URL', () => {
    const ds = check({ 'mapc.yaml': projectFile('claims_namespace: urn:acme:claims'), 'a.yaml': tierClaim });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:2:19 MAPC0502']);
  });

  it('rejects Auth0 domains and their subdomains', () => {
    for (const ns of ['https://auth0.com/', 'https://acme.eu.auth0.com/', 'http://x.webtask.io/', 'https://webtask.run/c/']) {
      const ds = check({ 'mapc.yaml': projectFile(`claims_namespace: ${ns}`), 'a.yaml': tierClaim });
      expect(codes(ds)).toEqual(['mappings/mapc.yaml:2:19 MAPC0503']);
    }
  });

  it("warns when the namespace does not end with '/'", () => {
    const ds = check({ 'mapc.yaml': projectFile('claims_namespace: https://acme.example'), 'a.yaml': tierClaim });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:2:19 MAPC0506']);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toBe("claims_namespace 'https://acme.example' does not end with '/': a claim 'tier' would be named 'https://acme.exampletier'");
  });

  it('accepts a good namespace, and no namespace when there are no claims', () => {
    expect(codes(check({ 'a.yaml': tierClaim }))).toEqual([]);
    expect(codes(check({ 'mapc.yaml': 'version: 1\n', 'a.yaml': spec('a', 'post-login', `
      fields:
        - to: app_metadata.tier
          from: user.email
    `) }))).toEqual([]);
    // An auth0.com look-alike that is not a subdomain is fine.
    expect(codes(check({ 'mapc.yaml': projectFile('claims_namespace: https://notauth0.com/'), 'a.yaml': tierClaim }))).toEqual([]);
  });
});

describe('claimNames (MAPC0504)', () => {
  it('rejects a claim named scope', () => {
    const ds = check({
      'a.yaml': spec('a', 'credentials-exchange', `
        fields:
          - to: access_token.scope
            from: client.metadata.scope
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:6:9 MAPC0504']);
  });

  it('accepts restricted names, because mapc namespaces every claim', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: access_token.sub
            from: user.app_metadata.legacy_id
          - to: id_token.email
            from: user.email
          - to: access_token.roles
            from: user.app_metadata.roles
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('authorizationClaims (MAPC0602)', () => {
  it('rejects an authorization claim computed from user_metadata, at the read', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: access_token.roles
            from: coalesce(user.user_metadata.roles, user.app_metadata.roles)
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:7:20 MAPC0602']);
    expect(ds[0]!.message).toBe(
      "the claim 'roles' looks like an authorization claim, but it is computed from user.user_metadata.roles, which the user can edit",
    );
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:6:9']);
  });

  it('rejects one gated by a condition on the request query', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: id_token.isAdmin
            from: { value: true }
            when: request.query.admin == 'yes'
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:8:11 MAPC0602']);
  });

  it('accepts authorization claims from trusted data and other claims from user data', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: id_token.subscription_tier
            from: user.app_metadata.subscription_tier
          - to: id_token.locale
            from: user.user_metadata.locale
      `),
    });
    expect(codes(ds)).toEqual([]);
  });

  it('recognises authorization-like names by word', () => {
    expect(['roles', 'is_admin', 'isAdmin', 'subscription_tier', 'entitlements', 'groups', 'accessLevel'].map(isAuthorizationName)).toEqual(
      [true, true, true, true, true, true, true],
    );
    expect(['locale', 'display_name', 'crm_id', 'email', 'shipping_address', 'planet'].map(isAuthorizationName)).toEqual(
      [false, false, false, false, false, false],
    );
  });
});
