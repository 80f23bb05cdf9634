/** post-user-registration (v2): after the user is created, asynchronously; only `api.cache`. Sources: AUTH0-FACTS.md §1-2, auth0/auth0-actions src/post-user-registration/v2/. */
import { T } from '../expr';
import * as E from './shared-events';
import * as M from './shared-types';
import type { TriggerInfo } from './types';

export const POST_USER_REGISTRATION = {
  id: 'post-user-registration',
  handler: 'onExecutePostUserRegistration',
  entrypoints: ['onExecutePostUserRegistration'],
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
  note: 'the user was just created: there is no client, stats or request body',
  event: T.object({
    user: T.object({
      ...M.existingUser,
      app_metadata: M.appMetadata,
      user_metadata: M.userMetadata,
    }),
    connection: M.connection,
    // Optional, and without body or query.
    request: T.object(M.requestFields),
    transaction: T.dict(),
    tenant: M.tenant,
    custom_domain: M.customDomain,
    security_context: M.securityContext,
  }),
  defaultEvent: () => ({
    user: { ...E.existingUser(), multifactor: [] },
    connection: E.connection(),
    request: { ip: E.IP, method: 'POST', hostname: E.HOSTNAME, language: 'en', user_agent: E.USER_AGENT, geoip: E.geoip() },
    transaction: { id: 'txn_test', ...E.authorizeTransaction(), requested_scopes: ['openid', 'profile', 'email'] },
    tenant: E.tenant(),
    custom_domain: E.customDomain(),
    security_context: E.securityContext(),
    secrets: {},
  }),
  api: (k) => ({ cache: k.cache }),
} as const satisfies TriggerInfo<'post-user-registration'>;
