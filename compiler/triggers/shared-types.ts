/** Event model pieces shared by several triggers (expression types; compiler/triggers/<id>.ts compose them). */
import { T, type Type } from '../expr';

export const S = T.string;
export const N = T.number;
export const B = T.boolean;

export const geoip = T.object({
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
export const body = T.dict(T.any, true);
export const query = T.dict(T.any, true);

export const connection = T.object({ id: S, name: S, strategy: S, metadata: T.dict() });
export const tenant = T.object({ id: S });
export const customDomain = T.object({ domain: S, domain_metadata: T.dict() });
export const securityContext = T.object({ ja3: S, ja4: S });
export const client = T.object({ client_id: S, name: S, metadata: T.dict(S) });
export const organization = T.object({ id: S, name: S, display_name: S, metadata: T.dict() });
export const appMetadata = T.dict();
export const userMetadata = T.dict(T.any, true);

/** One entry of `user.identities`: documented fields plus provider-specific ones (open). */
export const IDENTITY: Type = T.object(
  { connection: S, isSocial: B, provider: S, user_id: S, profileData: T.dict() },
  T.any,
);

/** The request's fields; the User-Agent and Accept-Language headers are whatever the browser sent. */
export const requestFields = {
  ip: S,
  method: S,
  hostname: S,
  language: T.editable(S),
  user_agent: T.editable(S),
  geoip,
};

/**
 * The authorize parameters the transaction carries: anyone can open /authorize with the
 * `login_hint`, `scope`, `acr_values`, `ui_locales`, `prompt` and `state` of their choice.
 */
export const authorizeParameters = {
  requested_scopes: T.editable(T.array(S)),
  acr_values: T.editable(T.array(S)),
  ui_locales: T.editable(T.array(S)),
  state: T.editable(S),
  prompt: T.editable(T.array(S)),
  login_hint: T.editable(S),
};

/** Profile fields of a user that exists (post-login, post-user-registration), in Auth0's order. */
export const existingUser = {
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

