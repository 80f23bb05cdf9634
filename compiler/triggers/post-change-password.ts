/** post-change-password (v2): after a password change, asynchronously; only `api.cache`. Sources: AUTH0-FACTS.md §1-2, auth0/auth0-actions src/post-change-password/v2/. */
import { T } from '../expr';
import * as E from './shared-events';
import * as M from './shared-types';
import type { TriggerInfo } from './types';

export const POST_CHANGE_PASSWORD = {
  id: 'post-change-password',
  handler: 'onExecutePostChangePassword',
  entrypoints: ['onExecutePostChangePassword'],
  version: 'v2',
  metadataWrites: false,
  idTokenClaims: false,
  accessTokenClaims: false,
  scopes: false,
  samlAttributes: false,
  setUserId: false,
  validationError: false,
  deny: null,
  redirect: false,
  mfa: false,
  blocking: false,
  note: 'only the user, connection, request and tenant are provided',
  event: T.object({
    user: T.object({
      user_id: M.S,
      email: M.S,
      email_verified: M.B,
      last_password_reset: M.S,
      phone_number: M.S,
      phone_verified: M.B,
      username: M.S,
    }),
    connection: M.connection,
    request: T.object(M.requestFields),
    transaction: T.object({ id: M.S, correlation_id: M.S }),
    tenant: M.tenant,
    custom_domain: M.customDomain,
  }),
  // Auth0's post-change-password user has no app_metadata / user_metadata (nor does the model).
  defaultEvent: () => ({
    user: {
      user_id: E.USER_ID,
      email: 'jane.doe@example.com',
      email_verified: true,
      username: 'jane.doe',
      phone_number: '+31612345678',
      phone_verified: false,
      last_password_reset: E.UPDATED,
    },
    connection: E.connection(),
    request: { ip: E.IP, method: 'POST', hostname: E.HOSTNAME, language: 'en', user_agent: E.USER_AGENT, geoip: E.geoip() },
    transaction: { id: 'txn_test', correlation_id: 'c0rr-7e41-acme' },
    tenant: E.tenant(),
    custom_domain: E.customDomain(),
    secrets: {},
  }),
  api: (k) => ({ cache: k.cache }),
} as const satisfies TriggerInfo<'post-change-password'>;
