/**
 * The shape of one trigger module (compiler/triggers/<id>.ts): everything mapc knows about an
 * Auth0 trigger, in one place — its handler and version, what its api lets a spec do, how it
 * denies, its event as expression types, a realistic default event for `mapc test`, and which
 * groups of Auth0's `api` the emulator (compiler/emulator) builds for it.
 */
import type { Type } from '../expr';

/** How `api.access.deny` is called on a trigger, or null when it cannot deny. */
export type DenyStyle =
  | 'reason' // post-login: deny(reason)
  | 'reason-user-message' // pre-user-registration: deny(reason, userMessage)
  | 'code-reason' // credentials-exchange: deny(code, reason)
  | null;

/**
 * The building blocks of an Auth0-faithful `api` (compiler/emulator/auth0-api.ts makes them, one
 * set per execution); a trigger module picks and configures the groups its api has.
 */
export interface ApiKit {
  readonly cache: unknown;
  /** `api.access` with `deny` in the trigger's calling style. */
  access(style: Exclude<DenyStyle, null>): unknown;
  /** `api.user`: the metadata setters (post-login refuses metadata that is not an object), and `setUserId` where offered. */
  user(opts: { readonly storedMetadataMustBeObject: boolean; readonly setUserId: boolean }): unknown;
  idToken(): unknown;
  /** `refuseScope`: the test api refuses the claim name `scope` (post-login); `scopes`: addScope/removeScope. */
  accessToken(opts: { readonly refuseScope: boolean; readonly scopes: boolean }): unknown;
  multifactor(): unknown;
  redirect(): unknown;
  transaction(): unknown;
  authentication(): unknown;
  /** `api.validation.error`, with the test api's error prefix when it has one. */
  validation(errorPrefix?: string): unknown;
  /** `api.samlResponse.setAttribute` (post-login). */
  samlResponse(): unknown;
}

export interface TriggerInfo<Id extends string = string> {
  readonly id: Id;
  /** Exported handler name in code.js. */
  readonly handler: string;
  /** Every handler Auth0's loader accepts for the trigger, the default first. */
  readonly entrypoints: readonly string[];
  /** Current trigger version for supported_triggers. */
  readonly version: string;
  /** api.user.setAppMetadata / setUserMetadata */
  readonly metadataWrites: boolean;
  readonly idTokenClaims: boolean;
  readonly accessTokenClaims: boolean;
  /** api.accessToken.addScope / removeScope (`scopes.<scope>` targets) */
  readonly scopes: boolean;
  /** api.samlResponse.setAttribute (`saml.<attribute>` targets) */
  readonly samlAttributes: boolean;
  /** api.user.setUserId (the `user_id` target) */
  readonly setUserId: boolean;
  /** api.validation.error (the `validation_error` access action) */
  readonly validationError: boolean;
  readonly deny: DenyStyle;
  /** api.redirect.sendUserTo (post-login only) */
  readonly redirect: boolean;
  /** api.multifactor.enable (post-login only) */
  readonly mfa: boolean;
  /** A trigger that blocks the flow (sync) versus one that runs after it (async). */
  readonly blocking: boolean;
  /**
   * The `event` as expression types: closed objects for documented fields, dictionaries where
   * Auth0 documents none, `userEditable` for what the end user controls.
   */
  readonly event: Type;
  /** Why the event lacks common data (the hint of "not provided by this trigger"). */
  readonly note?: string;
  /** A fresh realistic default event (a new object every call). */
  defaultEvent(): Record<string, unknown>;
  /** The groups of Auth0's `api` for this trigger. */
  api(kit: ApiKit): Record<string, unknown>;
}
