/** credentials-exchange (v2): the client-credentials grant (machine to machine); access-token claims and deny. Sources: AUTH0-FACTS.md §1-2, auth0/auth0-actions src/credentials-exchange/v2/. */
import { T } from '../expr';
import * as E from './shared-events';
import * as M from './shared-types';
import type { TriggerInfo } from './types';

export const CREDENTIALS_EXCHANGE = {
  id: 'credentials-exchange',
  handler: 'onExecuteCredentialsExchange',
  entrypoints: ['onExecuteCredentialsExchange'],
  version: 'v2',
  metadataWrites: false,
  idTokenClaims: false,
  accessTokenClaims: true,
  scopes: false,
  samlAttributes: false,
  setUserId: false,
  validationError: false,
  deny: 'code-reason',
  redirect: false,
  mfa: false,
  blocking: true,
  note: 'a machine-to-machine flow: there is no user',
  event: T.object({
    // Machine-to-machine: there is no user.
    accessToken: T.object({ customClaims: T.dict(), scope: T.array(M.S) }),
    client: M.client,
    request: T.object({ ...M.requestFields, body: M.body }),
    resource_server: T.object({ identifier: M.S }),
    transaction: T.object({ requested_scopes: M.authorizeParameters.requested_scopes, target_scopes: T.array(M.S), correlation_id: M.S }),
    organization: M.organization,
    tenant: M.tenant,
    custom_domain: M.customDomain,
    security_context: M.securityContext,
  }),
  defaultEvent: () => ({
    accessToken: { customClaims: {}, scope: ['read:orders'] },
    client: E.client(),
    request: {
      ip: E.IP,
      method: 'POST',
      hostname: E.HOSTNAME,
      user_agent: 'acme-orders-worker/2.3.1',
      // A client-credentials grant; the client secret is not repeated here.
      body: { grant_type: 'client_credentials', client_id: 'test-client-id', audience: E.API },
      geoip: E.geoip(),
    },
    resource_server: { identifier: E.API },
    transaction: { requested_scopes: ['read:orders'], correlation_id: 'c0rr-7e41-acme' },
    organization: E.organization(),
    tenant: E.tenant(),
    custom_domain: E.customDomain(),
    secrets: {},
  }),
  api: (k) => ({
    access: k.access('code-reason'),
    // Auth0's credentials-exchange api does not refuse the claim name `scope`.
    accessToken: k.accessToken({ refuseScope: false, scopes: false }),
    cache: k.cache,
  }),
} as const satisfies TriggerInfo<'credentials-exchange'>;
