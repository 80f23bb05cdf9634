/**
 * Realistic default events per trigger, as rich as the example events of Auth0's own test api
 * (`@auth0/actions`, src/<trigger>/<version>/test/index.js) and shaped like each trigger's
 * event type (src/<trigger>/<version>/index.d.ts; AUTH0-FACTS.md §2). Test cases deep-merge
 * their `event:` over these.
 *
 * The values are one consistent story: Jane Doe, a verified database user
 * (`auth0|5f7c8ec7c33c6c004bbafe82`, 5 logins) signing in to "Acme Web" through the custom
 * domain login.acme.example from Amsterdam, with the authorization-code flow
 * (`oidc-basic-profile`). Nothing in them disables a redirect: `request.query` is empty and
 * `transaction.prompt` is absent. What is left out of Auth0's examples, and why, is listed in
 * docs/testing.md ("The default events").
 */
import type { TriggerId } from '../triggers';

const USER_ID = 'auth0|5f7c8ec7c33c6c004bbafe82';
const CREATED = '2024-01-15T10:00:00.000Z';
const UPDATED = '2024-06-01T10:00:00.000Z';
const HOSTNAME = 'login.acme.example';
const IP = '203.0.113.10';
const ASN = 'AS1136';
const USER_AGENT = 'Mozilla/5.0';
const API = 'https://api.acme.example';

const geoip = () => ({
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
});

const tenant = () => ({ id: 'acme-test' });
const connection = () => ({ id: 'con_test123', name: 'Username-Password-Authentication', strategy: 'auth0', metadata: {} });
const client = () => ({ client_id: 'test-client-id', name: 'Acme Web', metadata: {} });
const customDomain = () => ({ domain: HOSTNAME, domain_metadata: {} });
const securityContext = () => ({ ja3: '773906b0efdefa24a7f2b8eb6985bf37', ja4: 't13d1516h2_8daaf6152771_e5627efa2ab1' });
const organization = () => ({ id: 'org_4Zk9GbM1xQp7Tn2R', name: 'acme', display_name: 'Acme Corp', metadata: {} });

/** The authorization request of the browser login (`/authorize?response_type=code ...`). */
const authorizeTransaction = () => ({
  acr_values: [],
  locale: 'en',
  ui_locales: ['en'],
  protocol: 'oidc-basic-profile',
  redirect_uri: 'https://app.acme.example/callback',
  response_type: ['code'],
  response_mode: 'query',
  state: 'a4d2f0c9e1b7',
  login_hint: 'jane.doe@example.com',
  correlation_id: 'c0rr-7e41-acme',
});

/** Profile fields of Jane as a user that exists. */
function existingUser(): Record<string, unknown> {
  return {
    user_id: USER_ID,
    email: 'jane.doe@example.com',
    email_verified: true,
    name: 'Jane Doe',
    nickname: 'jane',
    given_name: 'Jane',
    family_name: 'Doe',
    picture: 'https://example.com/jane.png',
    username: 'jane.doe',
    phone_number: '+31612345678',
    phone_verified: false,
    created_at: CREATED,
    updated_at: UPDATED,
    app_metadata: {},
    user_metadata: {},
  };
}

/** A fresh default event for `trigger` (a new object every call, nothing shared). */
export function defaultEvent(trigger: TriggerId): Record<string, unknown> {
  switch (trigger) {
    case 'post-login':
      return {
        user: {
          ...existingUser(),
          last_password_reset: CREATED,
          identities: [
            {
              connection: 'Username-Password-Authentication',
              isSocial: false,
              provider: 'auth0',
              user_id: '5f7c8ec7c33c6c004bbafe82',
              userId: '5f7c8ec7c33c6c004bbafe82',
              profileData: {},
            },
          ],
          multifactor: [],
          enrolledFactors: [],
        },
        client: { ...client(), refresh_token: { policies: [{ audience: API, scope: ['read:orders'] }] } },
        connection: connection(),
        request: {
          ip: IP,
          asn: ASN,
          method: 'GET',
          hostname: HOSTNAME,
          language: 'en',
          user_agent: USER_AGENT,
          query: {},
          body: {},
          geoip: geoip(),
        },
        transaction: {
          id: 'txn_test',
          ...authorizeTransaction(),
          requested_scopes: ['openid', 'profile', 'email'],
          requested_authorization_details: [],
          linking_id: 'lnk_acme_7f3c2a',
          metadata: {},
        },
        stats: { logins_count: 5 },
        organization: organization(),
        tenant: tenant(),
        authentication: {
          methods: [{ name: 'pwd', timestamp: UPDATED }],
          riskAssessment: {
            confidence: 'high',
            version: '1',
            assessments: {
              UntrustedIP: { confidence: 'high', code: 'not_found_on_deny_list' },
              NewDevice: { confidence: 'high', code: 'match', details: { device: 'known', useragent: 'known' } },
              ImpossibleTravel: { confidence: 'high', code: 'minimal_travel_from_last_login' },
            },
          },
        },
        authorization: { roles: [] },
        resource_server: { identifier: API },
        session: {
          id: 'sess_n4Xb7QmR2kLp9sT1',
          user_id: USER_ID,
          created_at: UPDATED,
          updated_at: UPDATED,
          authenticated_at: UPDATED,
          last_interacted_at: UPDATED,
          idle_expires_at: '2024-06-04T10:00:00.000Z',
          expires_at: '2024-06-08T10:00:00.000Z',
          device: {
            initial_ip: IP,
            initial_asn: ASN,
            initial_user_agent: USER_AGENT,
            last_ip: IP,
            last_asn: ASN,
            last_user_agent: USER_AGENT,
          },
          clients: [{ client_id: 'test-client-id' }],
          cookie: { mode: 'persistent' },
          metadata: {},
        },
        custom_domain: customDomain(),
        security_context: securityContext(),
        secrets: {},
      };
    case 'pre-user-registration':
      return {
        user: {
          email: 'jane.doe@example.com',
          username: 'jane.doe',
          name: 'Jane Doe',
          nickname: 'jane',
          given_name: 'Jane',
          family_name: 'Doe',
          picture: 'https://example.com/jane.png',
          phone_number: '+31612345678',
          app_metadata: {},
          user_metadata: {},
        },
        client: client(),
        connection: connection(),
        request: { ip: IP, method: 'POST', hostname: HOSTNAME, language: 'en', user_agent: USER_AGENT, body: {}, geoip: geoip() },
        transaction: { id: 'txn_test', ...authorizeTransaction(), requested_scopes: ['openid'] },
        tenant: tenant(),
        custom_domain: customDomain(),
        security_context: securityContext(),
        secrets: {},
      };
    case 'post-user-registration':
      return {
        user: { ...existingUser(), multifactor: [] },
        connection: connection(),
        request: { ip: IP, method: 'POST', hostname: HOSTNAME, language: 'en', user_agent: USER_AGENT, geoip: geoip() },
        transaction: { id: 'txn_test', ...authorizeTransaction(), requested_scopes: ['openid', 'profile', 'email'] },
        tenant: tenant(),
        custom_domain: customDomain(),
        security_context: securityContext(),
        secrets: {},
      };
    case 'credentials-exchange':
      return {
        accessToken: { customClaims: {}, scope: ['read:orders'] },
        client: client(),
        request: {
          ip: IP,
          method: 'POST',
          hostname: HOSTNAME,
          user_agent: 'acme-orders-worker/2.3.1',
          // A client-credentials grant; the client secret is not repeated here.
          body: { grant_type: 'client_credentials', client_id: 'test-client-id', audience: API },
          geoip: geoip(),
        },
        resource_server: { identifier: API },
        transaction: { requested_scopes: ['read:orders'], correlation_id: 'c0rr-7e41-acme' },
        organization: organization(),
        tenant: tenant(),
        custom_domain: customDomain(),
        secrets: {},
      };
    case 'post-change-password':
      // Auth0's post-change-password user has no app_metadata / user_metadata (nor does the model).
      return {
        user: {
          user_id: USER_ID,
          email: 'jane.doe@example.com',
          email_verified: true,
          username: 'jane.doe',
          phone_number: '+31612345678',
          phone_verified: false,
          last_password_reset: UPDATED,
        },
        connection: connection(),
        request: { ip: IP, method: 'POST', hostname: HOSTNAME, language: 'en', user_agent: USER_AGENT, geoip: geoip() },
        transaction: { id: 'txn_test', correlation_id: 'c0rr-7e41-acme' },
        tenant: tenant(),
        custom_domain: customDomain(),
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
