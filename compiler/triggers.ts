/**
 * What each Auth0 trigger offers (SPEC 5; facts and sources in shared AUTH0-FACTS.md §1-2).
 * The checker refuses what a trigger does not offer; the emitter uses handler names and
 * versions. The event model per trigger lives in expr/event-model.ts.
 */
export const TRIGGER_IDS = [
  'post-login',
  'pre-user-registration',
  'post-user-registration',
  'credentials-exchange',
  'post-change-password',
] as const;

export type TriggerId = (typeof TRIGGER_IDS)[number];

/** How `api.access.deny` is called on a trigger, or null when it cannot deny. */
export type DenyStyle =
  | 'reason' // post-login: deny(reason)
  | 'reason-user-message' // pre-user-registration: deny(reason, userMessage)
  | 'code-reason' // credentials-exchange: deny(code, reason)
  | null;

export interface TriggerInfo {
  readonly id: TriggerId;
  /** Exported handler name in code.js. */
  readonly handler: string;
  /** Current trigger version for supported_triggers. */
  readonly version: string;
  /** api.user.setAppMetadata / setUserMetadata */
  readonly metadataWrites: boolean;
  readonly idTokenClaims: boolean;
  readonly accessTokenClaims: boolean;
  readonly deny: DenyStyle;
  /** api.redirect.sendUserTo (post-login only) */
  readonly redirect: boolean;
  /** api.multifactor.enable (post-login only) */
  readonly mfa: boolean;
  /** A trigger that blocks the flow (sync) versus one that runs after it (async). */
  readonly blocking: boolean;
}

export const TRIGGERS: Readonly<Record<TriggerId, TriggerInfo>> = {
  'post-login': {
    id: 'post-login',
    handler: 'onExecutePostLogin',
    version: 'v3',
    metadataWrites: true,
    idTokenClaims: true,
    accessTokenClaims: true,
    deny: 'reason',
    redirect: true,
    mfa: true,
    blocking: true,
  },
  'pre-user-registration': {
    id: 'pre-user-registration',
    handler: 'onExecutePreUserRegistration',
    version: 'v2',
    metadataWrites: true,
    idTokenClaims: false,
    accessTokenClaims: false,
    deny: 'reason-user-message',
    redirect: false,
    mfa: false,
    blocking: true,
  },
  'post-user-registration': {
    id: 'post-user-registration',
    handler: 'onExecutePostUserRegistration',
    version: 'v2',
    metadataWrites: false,
    idTokenClaims: false,
    accessTokenClaims: false,
    deny: null,
    redirect: false,
    mfa: false,
    blocking: false,
  },
  'credentials-exchange': {
    id: 'credentials-exchange',
    handler: 'onExecuteCredentialsExchange',
    version: 'v2',
    metadataWrites: false,
    idTokenClaims: false,
    accessTokenClaims: true,
    deny: 'code-reason',
    redirect: false,
    mfa: false,
    blocking: true,
  },
  'post-change-password': {
    id: 'post-change-password',
    handler: 'onExecutePostChangePassword',
    version: 'v2',
    metadataWrites: false,
    idTokenClaims: false,
    accessTokenClaims: false,
    deny: null,
    redirect: false,
    mfa: false,
    blocking: false,
  },
};


/** What an Action secret's name may be: letters, digits and `_`, not starting with a digit. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Auth0 platform limits mapc enforces (AUTH0-FACTS.md §3). */
export const LIMITS = {
  /** Whole trigger execution, per Auth0. mapc's deadline must stay below it. */
  flowMs: 20_000,
  secretsPerAction: 30,
  actionBytes: 100 * 1024,
  actionsPerTrigger: 20,
  logLineChars: 256,
} as const;
