/**
 * The `event` object of each trigger as expression types (SPEC 2.4, 5), from Auth0's event
 * object references (shared AUTH0-FACTS.md §2.1-2.2; post-change-password from
 * auth0.com/docs/customize/actions/triggers/post-change-password/event-object).
 *
 * Objects Auth0 documents field by field are closed, so a typo (`user.emial`) is an error;
 * dictionaries (`app_metadata`, `profileData`, `*.metadata`) are open. Data the end user can
 * edit (`user_metadata`, `request.body`, `request.query`) is marked `userEditable` for the
 * trust checks. `secrets` is deliberately absent: secrets flow only into a system's `auth`.
 */
import { T, type Type } from './types';
import { TRIGGER_IDS, type TriggerId } from '../triggers';

const S = T.string;
const N = T.number;
const B = T.boolean;

const geoip = T.object({
  cityName: S,
  continentCode: S,
  countryCode: S,
  countryCode3: S,
  countryName: S,
  latitude: N,
  longitude: N,
  subdivisionCode: S,
  subdivisionName: S,
  timeZone: S,
});

/** Request body and query are whatever the client sent. */
const body = T.dict(T.any, true);
const query = T.dict(T.any, true);

const connection = T.object({ id: S, name: S, strategy: S, metadata: T.dict() });
const tenant = T.object({ id: S });
const customDomain = T.object({ domain: S, domain_metadata: T.dict() });
const securityContext = T.object({ ja3: S, ja4: S });
const client = T.object({ client_id: S, name: S, metadata: T.dict(S) });
const organization = T.object({ id: S, name: S, display_name: S, metadata: T.dict() });
const appMetadata = T.dict();
const userMetadata = T.dict(T.any, true);

/** One entry of `user.identities`: documented fields plus provider-specific ones (open). */
export const IDENTITY_TYPE: Type = T.object(
  { connection: S, isSocial: B, provider: S, user_id: S, profileData: T.dict() },
  T.any,
);

const requestFields = {
  ip: S,
  method: S,
  hostname: S,
  language: S,
  user_agent: S,
  geoip,
};

/** Profile fields of a user that exists (post-login, post-user-registration), in Auth0's order. */
const existingUser = {
  user_id: S,
  email: S,
  email_verified: B,
  name: S,
  nickname: S,
  given_name: S,
  family_name: S,
  picture: S,
  username: S,
  phone_number: S,
  phone_verified: B,
  created_at: S,
  updated_at: S,
};

const postLogin = T.object({
  user: T.object({
    ...existingUser,
    last_password_reset: S,
    app_metadata: appMetadata,
    user_metadata: userMetadata,
    multifactor: T.array(S),
    enrolledFactors: T.array(T.object({ type: S, options: T.dict() })),
    identities: T.array(IDENTITY_TYPE),
  }),
  client: T.object({ client_id: S, name: S, metadata: T.dict(S), refresh_token: T.dict() }),
  connection,
  request: T.object({ ...requestFields, query, body }),
  transaction: T.object({
    id: S,
    protocol: S,
    requested_scopes: T.array(S),
    acr_values: T.array(S),
    locale: S,
    ui_locales: T.array(S),
    redirect_uri: S,
    response_type: T.array(S),
    response_mode: S,
    state: S,
    prompt: T.array(S),
    login_hint: S,
    linking_id: S,
    correlation_id: S,
    metadata: T.dict(),
  }),
  stats: T.object({ logins_count: N }),
  organization,
  tenant,
  authentication: T.object({ methods: T.array(T.object({ name: S, timestamp: S }, T.any)), riskAssessment: T.dict() }),
  authorization: T.object({ roles: T.array(S) }),
  resource_server: T.object({ identifier: S }),
  session: T.dict(),
  refresh_token: T.dict(),
  custom_domain: customDomain,
  prompt: T.dict(),
  security_context: securityContext,
});

const preUserRegistration = T.object({
  // The user does not exist yet: no user_id, identities, created_at, email_verified.
  user: T.object({
    email: S,
    username: S,
    name: S,
    nickname: S,
    given_name: S,
    family_name: S,
    picture: S,
    phone_number: S,
    app_metadata: appMetadata,
    user_metadata: userMetadata,
  }),
  client,
  connection,
  request: T.object({ ...requestFields, body }),
  transaction: T.dict(),
  tenant,
  authentication: T.object({ riskAssessment: T.dict() }),
  custom_domain: customDomain,
  security_context: securityContext,
});

const postUserRegistration = T.object({
  user: T.object({
    ...existingUser,
    app_metadata: appMetadata,
    user_metadata: userMetadata,
  }),
  connection,
  // Optional, and without body or query.
  request: T.object(requestFields),
  transaction: T.dict(),
  tenant,
  custom_domain: customDomain,
});

const credentialsExchange = T.object({
  // Machine-to-machine: there is no user.
  accessToken: T.object({ customClaims: T.dict(), scope: T.array(S) }),
  client,
  request: T.object({ ...requestFields, body }),
  resource_server: T.object({ identifier: S }),
  transaction: T.object({ requested_scopes: T.array(S), target_scopes: T.array(S), correlation_id: S }),
  organization,
  tenant,
  custom_domain: customDomain,
  security_context: securityContext,
});

const postChangePassword = T.object({
  user: T.object({
    user_id: S,
    email: S,
    email_verified: B,
    last_password_reset: S,
    phone_number: S,
    phone_verified: B,
    username: S,
  }),
  connection,
  request: T.object(requestFields),
  tenant,
  custom_domain: customDomain,
});

const EVENTS: Readonly<Record<TriggerId, Type>> = {
  'post-login': postLogin,
  'pre-user-registration': preUserRegistration,
  'post-user-registration': postUserRegistration,
  'credentials-exchange': credentialsExchange,
  'post-change-password': postChangePassword,
};

/** The type of `event` for a trigger: a closed object whose fields are the expression roots. */
export function eventType(trigger: TriggerId): Type {
  return EVENTS[trigger];
}

/** Root name → type for a trigger (the fields of `eventType`). */
export function eventRoots(trigger: TriggerId): Readonly<Record<string, Type>> {
  const t = EVENTS[trigger];
  return t.kind === 'object' ? t.fields : {};
}

/** Dotted paths of every `userEditable` object below `t`, sorted. */
function editablePaths(t: Type, prefix: string, out: string[]): void {
  if (t.kind !== 'object') return;
  if (t.userEditable) {
    out.push(prefix);
    return;
  }
  for (const [k, v] of Object.entries(t.fields)) editablePaths(v, prefix ? `${prefix}.${k}` : k, out);
}

/**
 * Per trigger, the dotted path prefixes of data the end user can edit
 * (`user.user_metadata`, `request.body`, `request.query`), sorted. A read at or below one of
 * these is untrusted (SPEC 4: access rules, authorization-like claims, system URLs).
 */
export const USER_EDITABLE_PATHS: Readonly<Record<TriggerId, readonly string[]>> = Object.fromEntries(
  TRIGGER_IDS.map((id) => {
    const out: string[] = [];
    editablePaths(EVENTS[id], '', out);
    return [id, out.sort()];
  }),
) as unknown as Record<TriggerId, readonly string[]>;

/** Whether `root.keys...` reads user-editable data on `trigger` (at or below a prefix of USER_EDITABLE_PATHS). */
export function isUserEditablePath(trigger: TriggerId, root: string, keys: readonly (string | number)[]): boolean {
  const path = [root, ...keys.map(String)];
  return USER_EDITABLE_PATHS[trigger].some((p) => {
    const parts = p.split('.');
    return parts.length <= path.length && parts.every((s, i) => path[i] === s);
  });
}

/** The type at `root.keys...` of a trigger's event, or undefined when that path does not exist there. */
export function eventPathType(trigger: TriggerId, root: string, keys: readonly (string | number)[]): Type | undefined {
  let t: Type | undefined = eventRoots(trigger)[root];
  if (!Object.prototype.hasOwnProperty.call(eventRoots(trigger), root)) return undefined;
  for (const k of keys) {
    if (!t) return undefined;
    if (t.kind === 'any') return t;
    if (t.kind === 'array') {
      if (typeof k !== 'number') return undefined;
      t = t.of;
    } else if (t.kind === 'object') {
      t = Object.prototype.hasOwnProperty.call(t.fields, String(k)) ? t.fields[String(k)] : t.rest;
    } else return undefined;
  }
  return t;
}
