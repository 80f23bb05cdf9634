import type { CodeInfo } from './types';

/**
 * Codes of `mapc backfill` (MAPC082x: it runs the specs outside Auth0, over exported users).
 * Keep codes stable: never renumber.
 */
export const BACKFILL_CODES = {
  MAPC0820: {
    code: 'MAPC0820',
    severity: 'error',
    title: 'backfill: a metadata field reads a source that exists only at login (request, client, ...)',
    example: 'fields:\n  - to: app_metadata.last_country\n    from: request.geoip.countryCode   # no request outside a login',
  },
  MAPC0821: {
    code: 'MAPC0821',
    severity: 'error',
    title: 'backfill: the spec is unknown, or writes no app_metadata or user_metadata',
    example: 'mapc backfill --spec token-claims   # writes only id_token claims',
  },
  MAPC0822: {
    code: 'MAPC0822',
    severity: 'error',
    title: 'backfill: a line of the users file is not a user (JSON object with a user_id)',
    example: '{"user_id": "auth0|1", "email": ',
  },
  MAPC0823: {
    code: 'MAPC0823',
    severity: 'error',
    title: 'backfill: a setting it needs is missing (Management API credentials, a system secret)',
    example: 'mapc backfill --spec crm-sync   # without AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET',
  },
  MAPC0824: {
    code: 'MAPC0824',
    severity: 'error',
    title: 'backfill: the journal belongs to another spec or is not a mapc journal',
    example: 'mapc backfill --spec a --apply --journal b.journal   # b.journal was written for spec b',
  },
  MAPC0825: {
    code: 'MAPC0825',
    severity: 'error',
    title: 'backfill: the Auth0 Management API refused a request or an export job failed',
    example: 'POST /oauth/token → 401 (wrong AUTH0_CLIENT_SECRET)',
  },
} as const satisfies Record<string, CodeInfo>;
