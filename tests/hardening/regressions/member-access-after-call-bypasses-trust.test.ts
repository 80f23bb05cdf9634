/**
 * Found by attacking trust (#13, item 2): member access after a call hid the path from the
 * trust check — `coalesce(user).user_metadata.role`, `default(request, null).query.admin`, or a
 * whole `user` passed to a function built clean in an access rule, a claim or a `by:`. Trust
 * is now a property of the value an expression can carry: a call carries its arguments'
 * trust, a whole object that holds user-editable data is untrusted, and a member access after
 * a call narrows it (`coalesce(user).app_metadata.tier` is trusted).
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, errorCodes } from '../support/project';

const access = (when: string) => `version: 1
name: gate
owner: team-a
trigger: post-login
access:
  - when: ${when}
    deny: No.
`;
const claim = (name: string, from: string) => `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: access_token.${name}
    from: ${from}
`;

describe('member access after a call', () => {
  for (const when of [
    "coalesce(user).user_metadata.role == 'admin'",
    "default(request, null).query.admin == 'true'",
    "coalesce(user.app_metadata, user.user_metadata).role == 'admin'",
    "first(coalesce(request.query.roles, user.app_metadata.roles)) == 'admin'",
    "contains(to_string(coalesce(user).user_metadata.role), 'admin')",
  ]) {
    it(`an access rule on ${when} is MAPC0601`, async () => {
      const ds = await diagnosticsOf({ 'gate.yaml': access(when) });
      expect(errorCodes(ds)).toContain('MAPC0601');
    });
  }

  it("the condition of if() is not narrowed away by a member access after it (MAPC0601)", async () => {
    const ds = await diagnosticsOf({ 'gate.yaml': access("if(to_string(user) == 'x', client, client).metadata.admin == 'true'") });
    expect(errorCodes(ds)).toEqual(['MAPC0601']);
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('user.user_metadata, which the user can edit');
    // The branches still narrow: a trusted condition over trusted branches is trusted.
    const clean = await diagnosticsOf({ 'gate.yaml': access("if(user.email_verified, client, client).metadata.admin == 'true'") });
    expect(errorCodes(clean)).toEqual([]);
  });

  it('a whole user object carries its user_metadata', async () => {
    const ds = await diagnosticsOf({ 'gate.yaml': access('exists(coalesce(user, client))') });
    expect(errorCodes(ds)).toEqual(['MAPC0601']);
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('user, which holds user.user_metadata, which the user can edit');
  });

  it('a claim named like authorization from default(request, null).query.admin is MAPC0602', async () => {
    const ds = await diagnosticsOf({ 'claims.yaml': claim('is_admin', "default(request, null).query.admin == 'true'") });
    expect(errorCodes(ds)).toEqual(['MAPC0602']);
    expect(ds.find((d) => d.code === 'MAPC0602')!.message).toContain('request.query.admin, which the user can edit');
  });

  it('routing by coalesce(user).user_metadata.region is MAPC0603', async () => {
    const extra = `  orders:
    base_url:
      by: coalesce(user).user_metadata.region
      routes: { eu: https://eu.orders.example.com }
    auth: none
`;
    const uses = `version: 1
name: o
owner: team-a
trigger: post-login
lookups:
  o: { system: orders, method: GET, path: /o }
  s: { system: sink, method: GET, path: /s }
fields:
  - to: app_metadata.o
    from: o.n
  - to: app_metadata.s
    from: s.n
`;
    const ds = await diagnosticsOf({ 'o.yaml': uses }, extra);
    expect(errorCodes(ds)).toEqual(['MAPC0603']);
  });

  for (const when of ["coalesce(user).app_metadata.tier != 'premium'", "identity('facebook').profileData.verified != true", "default(organization, null).metadata.plan != 'pro'"]) {
    it(`${when} stays trusted`, async () => {
      const ds = await diagnosticsOf({ 'gate.yaml': access(when) });
      expect(errorCodes(ds)).toEqual([]);
    });
  }
});
