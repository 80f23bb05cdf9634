/** pre-user-registration (v2): before a database or passwordless user is created; can deny the sign-up and set metadata. Sources: AUTH0-FACTS.md §1-2, auth0/auth0-actions src/pre-user-registration/v2/. */
import { T } from '../expr';
import * as E from './shared-events';
import * as M from './shared-types';
import type { TriggerInfo } from './types';

export const PRE_USER_REGISTRATION = {
  id: 'pre-user-registration',
  handler: 'onExecutePreUserRegistration',
  entrypoints: ['onExecutePreUserRegistration', 'onContinuePreUserRegistration'],
  version: 'v2',
  metadataWrites: true,
  idTokenClaims: false,
  accessTokenClaims: false,
  scopes: false,
  samlAttributes: false,
  setUserId: true,
  validationError: true,
  deny: 'reason-user-message',
  redirect: false,
  mfa: false,
  blocking: true,
  note: 'the user is not created yet: there is no user_id, identities, stats or organization',
  event: T.object({
    // The user does not exist yet: no user_id, identities, created_at, email_verified. The
    // profile is what the sign-up request sent: every field of it is the user's choice.
    user: T.object({
      email: T.editable(M.S),
      username: T.editable(M.S),
      name: T.editable(M.S),
      nickname: T.editable(M.S),
      given_name: T.editable(M.S),
      family_name: T.editable(M.S),
      picture: T.editable(M.S),
      phone_number: T.editable(M.S),
      app_metadata: M.appMetadata,
      user_metadata: M.userMetadata,
    }),
    client: M.client,
    connection: M.connection,
    request: T.object({ ...M.requestFields, body: M.body }),
    transaction: T.object({ ...M.authorizeParameters }, T.any),
    tenant: M.tenant,
    authentication: T.object({ riskAssessment: T.dict() }),
    custom_domain: M.customDomain,
    security_context: M.securityContext,
  }),
  defaultEvent: () => ({
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
    client: E.client(),
    connection: E.connection(),
    request: { ip: E.IP, method: 'POST', hostname: E.HOSTNAME, language: 'en', user_agent: E.USER_AGENT, body: {}, geoip: E.geoip() },
    transaction: { id: 'txn_test', ...E.authorizeTransaction(), requested_scopes: ['openid'] },
    tenant: E.tenant(),
    custom_domain: E.customDomain(),
    security_context: E.securityContext(),
    secrets: {},
  }),
  api: (k) => ({
    access: k.access('reason-user-message'),
    cache: k.cache,
    // No check of the stored metadata here (Auth0's pre-user-registration api has none).
    user: k.user({ storedMetadataMustBeObject: false, setUserId: true }),
    validation: k.validation('Failed to add validation error'),
  }),
} as const satisfies TriggerInfo<'pre-user-registration'>;
