/**
 * Pieces of the realistic default events (one consistent story: Jane Doe, a verified database
 * user `auth0|5f7c8ec7c33c6c004bbafe82` with 5 logins, signing in to "Acme Web" through the
 * custom domain login.acme.example from Amsterdam, with the authorization-code flow). The
 * default events are as rich as the example events of Auth0's own test api (`@auth0/actions`,
 * src/<trigger>/<version>/test/index.js); what they leave out, and why, is in docs/testing.md.
 * Every piece is a function: a default event shares no object with another.
 */

export const USER_ID = 'auth0|5f7c8ec7c33c6c004bbafe82';
export const CREATED = '2024-01-15T10:00:00.000Z';
export const UPDATED = '2024-06-01T10:00:00.000Z';
export const HOSTNAME = 'login.acme.example';
export const IP = '203.0.113.10';
export const ASN = 'AS1136';
export const USER_AGENT = 'Mozilla/5.0';
export const API = 'https://api.acme.example';

export const geoip = () => ({
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

export const tenant = () => ({ id: 'acme-test' });
export const connection = () => ({ id: 'con_test123', name: 'Username-Password-Authentication', strategy: 'auth0', metadata: {} });
export const client = () => ({ client_id: 'test-client-id', name: 'Acme Web', metadata: {} });
export const customDomain = () => ({ domain: HOSTNAME, domain_metadata: {} });
export const securityContext = () => ({ ja3: '773906b0efdefa24a7f2b8eb6985bf37', ja4: 't13d1516h2_8daaf6152771_e5627efa2ab1' });
export const organization = () => ({ id: 'org_4Zk9GbM1xQp7Tn2R', name: 'acme', display_name: 'Acme Corp', metadata: {} });

/** The authorization request of the browser login (`/authorize?response_type=code ...`). */
export const authorizeTransaction = () => ({
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
export function existingUser(): Record<string, unknown> {
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

