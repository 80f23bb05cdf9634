/**
 * List functions (#18, lists) must not launder user-editable data: the result of map_each,
 * filter, find, pluck and `[*]` carries the trust of the list, `any`/`all` over a list the
 * user edits is untrusted, a predicate that reads user-editable data taints the result, and a
 * member access after find() cannot narrow the predicate's reads away. Lists of trusted data
 * stay trusted.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsOf, errorCodes } from '../support/project';

const access = (when: string) => `version: 1
name: gate
owner: team-a
trigger: post-login
access:
  - when: "${when}"
    deny: No.
`;
const claim = (name: string, from: string) => `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: access_token.${name}
    from: "${from}"
`;

describe('list functions carry the trust of their list', () => {
  for (const when of [
    "any(user.user_metadata.roles, item == 'admin')",
    "all(user.user_metadata.roles, item != 'blocked')",
    "contains(user.user_metadata.roles[*].name, 'admin')",
    "contains(pluck(user.user_metadata.roles, 'name'), 'admin')",
    "exists(find(user.user_metadata.roles, item == 'admin'))",
    "length(filter(request.query.roles, item == 'admin')) > 0",
    "first(map_each(user.user_metadata.roles, lower(item))) == 'admin'",
    "index_of(sort(user.user_metadata.roles), 'admin') == 0",
    "first(slice(flatten(user.user_metadata.groups), 0, 1)) == 'admin'",
    // The predicate reads what the user edits: it chooses the element.
    "any(user.app_metadata.roles, item == user.user_metadata.role)",
    "find(user.app_metadata.plans, contains(to_string(user), item.id)).tier == 'gold'",
    "find(user.identities, item.provider == request.query.provider).isSocial == true",
  ]) {
    it(`an access rule on ${when} is MAPC0601`, async () => {
      const ds = await diagnosticsOf({ 'gate.yaml': access(when) });
      expect(errorCodes(ds)).toContain('MAPC0601');
    });
  }

  it('the message names the list the user edits', async () => {
    const ds = await diagnosticsOf({ 'gate.yaml': access("any(user.user_metadata.roles, item == 'admin')") });
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('user.user_metadata.roles, which the user can edit');
  });

  it('a roles claim from user_metadata through [*] is MAPC0602', async () => {
    const ds = await diagnosticsOf({ 'claims.yaml': claim('roles', 'user.user_metadata.roles[*].name') });
    expect(errorCodes(ds)).toEqual(['MAPC0602']);
  });

  it('a roles claim through an app_metadata list written from user_metadata is MAPC0602', async () => {
    const spec = `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.groups
    from: user.user_metadata.groups
  - to: access_token.roles
    from: "filter(user.app_metadata.groups, item != 'none')"
`;
    const ds = await diagnosticsOf({ 'claims.yaml': spec });
    expect(errorCodes(ds)).toContain('MAPC0602');
  });

  for (const when of [
    "any(user.app_metadata.roles, item == 'admin')",
    "!any(user.identities, item.isSocial)",
    "find(user.identities, item.provider == 'google-oauth2').profileData.hd != 'acme.example'",
    "all(user.identities[*].provider, item != 'github')",
  ]) {
    it(`${when} stays trusted`, async () => {
      const ds = await diagnosticsOf({ 'gate.yaml': access(when) });
      expect(errorCodes(ds)).toEqual([]);
    });
  }
});
