import type { CodeInfo } from './types';

/**
 * Codes of `mapc backfill` and `mapc preview` (MAPC082x: they run the specs outside Auth0, over
 * exported users).
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
    title: 'backfill, preview: the spec is unknown (backfill: or it writes no app_metadata or user_metadata)',
    example: 'mapc backfill --spec token-claims   # writes only id_token claims',
  },
  MAPC0822: {
    code: 'MAPC0822',
    severity: 'error',
    title: 'backfill, preview: a line of the users file is not a user (JSON object with a user_id), or the file cannot be read',
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
  MAPC0826: {
    code: 'MAPC0826',
    severity: 'error',
    title: 'preview: the --systems file is not a map of system names to recorded responses',
    example: 'crm:\n  status: 200   # a list of responses is expected: - { path: /contacts/x, body: {...} }',
  },
} as const satisfies Record<string, CodeInfo>;
