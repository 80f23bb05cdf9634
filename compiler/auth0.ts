/**
 * Auth0 platform facts every layer may need (AUTH0-FACTS.md §3): limits and the form of a
 * secret name. A leaf: it imports nothing. What each trigger offers lives in compiler/triggers.
 */

/** What an Action secret's name may be: letters, digits and `_`, not starting with a digit. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Auth0 platform limits mapc enforces (AUTH0-FACTS.md §3). */
export const LIMITS = {
  /** Whole trigger execution, per Auth0. The deadlines of a trigger's Actions must add up to less. */
  flowMs: 20_000,
  secretsPerAction: 30,
  actionBytes: 100 * 1024,
  actionsPerTrigger: 20,
  logLineChars: 256,
  /** app_metadata, and user_metadata, persisted per session (JSON bytes); checked at run time (runtime/limits.ts). */
  metadataBytes: 32 * 1024,
  /** The custom claims of one token (JSON bytes); checked at run time (runtime/limits.ts). */
  customClaimsBytes: 100 * 1024,
} as const;
