import { describe, expect, it } from 'vitest';
import { eventPathType, eventRoots, eventType, isUserEditablePath, USER_EDITABLE_PATHS } from '../../compiler/triggers';
import { T } from '../../compiler/expr/types';
import { TRIGGER_IDS } from '../../compiler/triggers';

describe('event models', () => {
  it('lists the roots of each trigger', () => {
    expect(Object.keys(eventRoots('pre-user-registration')).sort()).toEqual(
      ['authentication', 'client', 'connection', 'custom_domain', 'request', 'security_context', 'tenant', 'transaction', 'user'].sort(),
    );
    expect(Object.keys(eventRoots('credentials-exchange'))).not.toContain('user');
    expect(Object.keys(eventRoots('post-user-registration'))).not.toContain('client');
    expect(Object.keys(eventRoots('post-user-registration'))).not.toContain('stats');
    expect(Object.keys(eventRoots('post-login'))).toContain('stats');
  });

  it('never offers secrets as a root', () => {
    for (const id of TRIGGER_IDS) expect(Object.keys(eventRoots(id))).not.toContain('secrets');
  });

  it('has no user_id, identities, stats or organization before registration', () => {
    expect(eventPathType('pre-user-registration', 'user', ['user_id'])).toBeUndefined();
    expect(eventPathType('pre-user-registration', 'user', ['identities'])).toBeUndefined();
    expect(eventPathType('pre-user-registration', 'stats', [])).toBeUndefined();
    expect(eventPathType('pre-user-registration', 'organization', [])).toBeUndefined();
    expect(eventPathType('post-login', 'user', ['user_id'])).toEqual(T.string);
  });

  it('types paths through arrays and open dictionaries', () => {
    expect(eventPathType('post-login', 'user', ['identities', 0, 'profileData', 'x'])).toEqual(T.any);
    expect(eventPathType('post-login', 'user', ['identities', 'x'])).toBeUndefined();
    expect(eventPathType('post-login', 'client', ['metadata', 'k'])).toEqual(T.string);
    expect(eventPathType('post-login', 'user', ['app_metadata', 'a', 'b'])).toEqual(T.any);
  });

  it('marks user-editable data', () => {
    const headers = ['request.language', 'request.user_agent'];
    const authorize = ['transaction.acr_values', 'transaction.login_hint', 'transaction.prompt', 'transaction.requested_scopes', 'transaction.state', 'transaction.ui_locales'];
    expect(USER_EDITABLE_PATHS['post-login']).toEqual(['request.body', 'request.language', 'request.query', 'request.user_agent', ...authorize, 'user.user_metadata']);
    expect(USER_EDITABLE_PATHS['pre-user-registration']).toEqual([
      'request.body',
      ...headers,
      ...authorize,
      ...['email', 'family_name', 'given_name', 'name', 'nickname', 'phone_number', 'picture', 'user_metadata', 'username'].map((k) => `user.${k}`),
    ]);
    expect(USER_EDITABLE_PATHS['post-user-registration']).toEqual([...headers, 'user.user_metadata']);
    expect(USER_EDITABLE_PATHS['credentials-exchange']).toEqual(['request.body', ...headers, 'transaction.requested_scopes']);
    expect(USER_EDITABLE_PATHS['post-change-password']).toEqual(headers);
    expect(isUserEditablePath('post-login', 'user', ['user_metadata', 'tier'])).toBe(true);
    expect(isUserEditablePath('post-login', 'request', ['query'])).toBe(true);
    expect(isUserEditablePath('post-login', 'user', ['app_metadata', 'tier'])).toBe(false);
    expect(isUserEditablePath('post-login', 'user', [])).toBe(false);
    expect(isUserEditablePath('post-login', 'transaction', ['login_hint'])).toBe(true);
    expect(isUserEditablePath('post-login', 'user', ['name'])).toBe(false);
    expect(isUserEditablePath('pre-user-registration', 'user', ['name'])).toBe(true);
    const um = eventPathType('post-login', 'user', ['user_metadata']);
    expect(um).toEqual({ kind: 'object', fields: {}, rest: T.any, userEditable: true });
  });

  it('returns a closed object per trigger', () => {
    for (const id of TRIGGER_IDS) {
      const t = eventType(id);
      expect(t.kind).toBe('object');
      if (t.kind === 'object') expect(t.rest).toBeUndefined();
    }
  });
});
