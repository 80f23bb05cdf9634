/**
 * List functions and `[*]` (#18, lists) in a generated Action, loaded as Auth0 loads it and
 * run: every element's field, a filtered and mapped list, any/all/find in an access rule on
 * trusted data, pluck, sort, slice, flatten and index_of; a list that is not an array is
 * null (nothing written, logged); a long list is read up to the cap (logged).
 */
import { describe, expect, it } from 'vitest';
import { compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
claims_namespace: https://acme.example/
`;

const SPEC = `version: 1
name: lists
owner: team-a
trigger: post-login
fields:
  - to: id_token.providers
    from: user.identities[*].provider
  - to: id_token.social_connections
    from: map_each(filter(user.identities, item.isSocial), lower(item.connection))
  - to: id_token.google_id
    from: "find(user.identities, item.provider == 'google-oauth2').user_id"
  - to: id_token.all_social
    from: all(user.identities, item.isSocial)
  - to: id_token.groups
    from: sort(unique(flatten(pluck(user.identities, 'groups'))))
  - to: id_token.first_two
    from: slice(sort(user.app_metadata.tags), 0, 2)
  - to: id_token.admin_at
    from: "index_of(user.app_metadata.roles, 'admin')"
  - to: id_token.role_count
    from: "length(filter(user.app_metadata.roles, !starts_with(item, 'x-')))"
access:
  - when: "any(user.app_metadata.roles, item == 'banned')"
    deny: This account is blocked.
`;

const identities = [
  { provider: 'google-oauth2', connection: 'Google-OAuth2', isSocial: true, user_id: 'g-1', groups: ['eng', 'all'] },
  { provider: 'auth0', connection: 'Username-Password', isSocial: false, user_id: 'a-1', groups: ['all'] },
  { provider: 'github', connection: 'GitHub', isSocial: true, user_id: 'h-1' },
];

describe('list functions', () => {
  it('compute over every element', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/lists.yaml': SPEC });
    const compiled = await compileOrThrow('mappings', dir);
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { identities, app_metadata: { roles: ['x-internal', 'admin', 'viewer'], tags: ['c', 'a', 'b'] } } },
    });
    expect(r.threw).toBeUndefined();
    expect(r.record.access.kind).toBe('allow');
    expect(r.record.idTokenClaims).toMatchObject({
      'https://acme.example/providers': ['google-oauth2', 'auth0', 'github'],
      'https://acme.example/social_connections': ['google-oauth2', 'github'],
      'https://acme.example/google_id': 'g-1',
      'https://acme.example/all_social': false,
      // github has no groups: flatten keeps its null, which sort puts last.
      'https://acme.example/groups': ['all', 'eng', null],
      'https://acme.example/first_two': ['a', 'b'],
      'https://acme.example/admin_at': 1,
      'https://acme.example/role_count': 2,
    });
    expect(r.logs).toEqual([]);
  });

  it('any() in an access rule denies; missing lists are null and write nothing', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/lists.yaml': SPEC });
    const compiled = await compileOrThrow('mappings', dir);
    const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { identities: [], app_metadata: { roles: ['banned'], tags: 'not a list' } } } });
    expect(r.threw).toBeUndefined();
    expect(r.record.access).toEqual({ kind: 'deny', reason: 'This account is blocked.' });
    expect(r.record.idTokenClaims['https://acme.example/providers']).toEqual([]);
    // find over an empty list is null: no claim; all() over an empty list holds.
    expect(r.record.idTokenClaims).not.toHaveProperty('https://acme.example/google_id');
    expect(r.record.idTokenClaims['https://acme.example/all_social']).toBe(true);
    expect(r.record.idTokenClaims).not.toHaveProperty('https://acme.example/first_two');
    expect(r.record.idTokenClaims).not.toHaveProperty('https://acme.example/admin_at');
    expect(r.logs.some((l) => l.includes('"fn":"sort"') && l.includes('not an array'))).toBe(true);
  });

  it('a list longer than 1,000 elements is read up to the cap, and the cut is logged', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/lists.yaml': SPEC });
    const compiled = await compileOrThrow('mappings', dir);
    const roles = [...Array.from({ length: 1000 }, (_, i) => `r${i}`), 'banned'];
    const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { identities: [], app_metadata: { roles } } } });
    expect(r.threw).toBeUndefined();
    // 'banned' is element 1,001: any() does not see it.
    expect(r.record.access.kind).toBe('allow');
    expect(r.logs.some((l) => l.includes('list cut to the first 1000 elements'))).toBe(true);
  });
});
