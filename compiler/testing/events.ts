/**
 * Realistic default events per trigger (shapes from Auth0's Actions reference, see
 * AUTH0-FACTS.md §2). Test cases deep-merge their `event:` over these.
 */
import type { TriggerId } from '../triggers';

const geoip = {
  cityName: 'Amsterdam',
  continentCode: 'EU',
  countryCode: 'NL',
  countryCode3: 'NLD',
  countryName: 'Netherlands',
  latitude: 52.37,
  longitude: 4.89,
  subdivisionCode: 'NH',
  subdivisionName: 'North Holland',
  timeZone: 'Europe/Amsterdam',
};

const tenant = { id: 'acme-test' };
const connection = { id: 'con_test123', name: 'Username-Password-Authentication', strategy: 'auth0', metadata: {} };
const client = { client_id: 'test-client-id', name: 'Acme Web', metadata: {} };

function user(): Record<string, unknown> {
  return {
    user_id: 'auth0|5f7c8ec7c33c6c004bbafe82',
    email: 'jane.doe@example.com',
    email_verified: true,
    name: 'Jane Doe',
    nickname: 'jane',
    given_name: 'Jane',
    family_name: 'Doe',
    picture: 'https://example.com/jane.png',
    created_at: '2024-01-15T10:00:00.000Z',
    updated_at: '2024-06-01T10:00:00.000Z',
    app_metadata: {},
    user_metadata: {},
    identities: [
      { connection: 'Username-Password-Authentication', isSocial: false, provider: 'auth0', user_id: '5f7c8ec7c33c6c004bbafe82', profileData: {} },
    ],
    multifactor: [],
  };
}

/** A fresh default event for `trigger` (a new object every call). */
export function defaultEvent(trigger: TriggerId): Record<string, unknown> {
  switch (trigger) {
    case 'post-login':
      return {
        user: user(),
        client,
        connection,
        request: { ip: '203.0.113.10', method: 'GET', hostname: 'login.acme.example', language: 'en', user_agent: 'Mozilla/5.0', query: {}, body: {}, geoip },
        transaction: { id: 'txn_test', protocol: 'oidc-basic-profile', requested_scopes: ['openid', 'profile', 'email'], locale: 'en', metadata: {} },
        stats: { logins_count: 5 },
        tenant,
        authentication: { methods: [{ name: 'pwd', timestamp: '2024-06-01T10:00:00.000Z' }] },
        authorization: { roles: [] },
        secrets: {},
      };
    case 'pre-user-registration':
      return {
        user: { email: 'jane.doe@example.com', name: 'Jane Doe', given_name: 'Jane', family_name: 'Doe', app_metadata: {}, user_metadata: {} },
        client,
        connection,
        request: { ip: '203.0.113.10', method: 'POST', hostname: 'login.acme.example', language: 'en', user_agent: 'Mozilla/5.0', body: {}, geoip },
        transaction: { id: 'txn_test', protocol: 'oidc-basic-profile', requested_scopes: ['openid'], locale: 'en' },
        tenant,
        secrets: {},
      };
    case 'post-user-registration': {
      const u = user();
      delete u['identities'];
      return {
        user: u,
        connection,
        request: { ip: '203.0.113.10', method: 'POST', hostname: 'login.acme.example', language: 'en', user_agent: 'Mozilla/5.0', geoip },
        transaction: { id: 'txn_test' },
        tenant,
        secrets: {},
      };
    }
    case 'credentials-exchange':
      return {
        accessToken: { customClaims: {}, scope: ['read:orders'] },
        client,
        request: { ip: '203.0.113.10', method: 'POST', hostname: 'login.acme.example', body: {}, geoip },
        resource_server: { identifier: 'https://api.acme.example' },
        transaction: { requested_scopes: ['read:orders'] },
        tenant,
        secrets: {},
      };
    case 'post-change-password':
      return {
        user: { user_id: 'auth0|5f7c8ec7c33c6c004bbafe82', email: 'jane.doe@example.com', email_verified: true, app_metadata: {}, user_metadata: {} },
        connection,
        request: { ip: '203.0.113.10', hostname: 'login.acme.example', language: 'en', user_agent: 'Mozilla/5.0', geoip },
        transaction: { id: 'txn_test' },
        tenant,
        secrets: {},
      };
  }
}

/** Deep merge for test events: objects merge, everything else (arrays too) replaces; `null` sets null. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = deepMerge(base[key], over[key]);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
