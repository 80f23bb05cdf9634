/**
 * Public surface of compiler/triggers: what each Auth0 trigger offers (SPEC 5; facts and
 * sources in shared AUTH0-FACTS.md §1-2), one module per trigger (`<id>.ts`: handler, version,
 * capabilities, deny style, event model, default event, api groups). The checker refuses what
 * a trigger does not offer; the emitter uses handler names and versions; the emulator builds
 * events and api objects from here. Adding a trigger is one new module plus its tests.
 */
import { typeAt, type Type } from '../expr';
import type { EventModel } from '../expr';
import { CREDENTIALS_EXCHANGE } from './credentials-exchange';
import { POST_CHANGE_PASSWORD } from './post-change-password';
import { POST_LOGIN } from './post-login';
import { POST_USER_REGISTRATION } from './post-user-registration';
import { PRE_USER_REGISTRATION } from './pre-user-registration';
import type { TriggerInfo } from './types';

export type { ApiKit, DenyStyle, TriggerInfo } from './types';
export { LIMITS, SECRET_NAME } from '../auth0';

/** The triggers mapc compiles for, in output order. */
export const TRIGGER_IDS = [
  'post-login',
  'pre-user-registration',
  'post-user-registration',
  'credentials-exchange',
  'post-change-password',
] as const;

export type TriggerId = (typeof TRIGGER_IDS)[number];

export const TRIGGERS: Readonly<Record<TriggerId, TriggerInfo<TriggerId>>> = {
  'post-login': POST_LOGIN,
  'pre-user-registration': PRE_USER_REGISTRATION,
  'post-user-registration': POST_USER_REGISTRATION,
  'credentials-exchange': CREDENTIALS_EXCHANGE,
  'post-change-password': POST_CHANGE_PASSWORD,
};

/** The type of `event` for a trigger: a closed object whose fields are the expression roots. */
export function eventType(trigger: TriggerId): Type {
  return TRIGGERS[trigger].event;
}

/** Root name → type for a trigger (the fields of `eventType`). */
export function eventRoots(trigger: TriggerId): Readonly<Record<string, Type>> {
  const t = TRIGGERS[trigger].event;
  return t.kind === 'object' ? t.fields : {};
}

/** The type at `root.keys...` of a trigger's event, or undefined when that path does not exist there. */
export function eventPathType(trigger: TriggerId, root: string, keys: readonly (string | number)[]): Type | undefined {
  return typeAt(eventRoots(trigger), root, keys);
}

/** A trigger's event as the expression checker sees it. */
export function eventModel(trigger: TriggerId): EventModel {
  const t = TRIGGERS[trigger];
  return { id: t.id, roots: eventRoots(trigger), ...(t.note !== undefined ? { note: t.note } : {}) };
}

/** Every trigger's event model (the checker's "it exists on ..." hints). */
export const EVENT_MODELS: readonly EventModel[] = TRIGGER_IDS.map(eventModel);

/** Dotted paths of every `userEditable` object below `t`, sorted. */
function editablePaths(t: Type, prefix: string, out: string[]): void {
  if (t.userEditable) {
    out.push(prefix);
    return;
  }
  if (t.kind !== 'object') return;
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
    editablePaths(TRIGGERS[id].event, '', out);
    return [id, out.sort()];
  }),
) as unknown as Record<TriggerId, readonly string[]>;

/** Whether `root.keys...` reads user-editable data on `trigger` (at or below a prefix of USER_EDITABLE_PATHS). */
export function isUserEditablePath(trigger: TriggerId, root: string, keys: readonly (string | number)[]): boolean {
  return EDITABLE_SEGMENTS[trigger].some((parts) => parts.length <= keys.length + 1 && parts.every((s, i) => (i === 0 ? root : String(keys[i - 1])) === s));
}

/** USER_EDITABLE_PATHS split into segments, once (trust checks ask for every path read). */
export const EDITABLE_SEGMENTS: Readonly<Record<TriggerId, readonly (readonly string[])[]>> = Object.fromEntries(
  TRIGGER_IDS.map((id) => [id, USER_EDITABLE_PATHS[id].map((p) => p.split('.'))]),
) as unknown as Record<TriggerId, readonly (readonly string[])[]>;

/** One entry of `user.identities` on post-login: documented fields plus provider-specific ones (open). */
export const IDENTITY_TYPE: Type = eventPathType('post-login', 'user', ['identities', 0])!;

/** A fresh default event for `trigger` (a new object every call, nothing shared). */
export function defaultEvent(trigger: TriggerId): Record<string, unknown> {
  return TRIGGERS[trigger].defaultEvent();
}

/**
 * The handler names Auth0's loader accepts for a trigger, in Auth0's order (the first is the
 * default): post-login also `onContinuePostLogin`, pre-user-registration also
 * `onContinuePreUserRegistration` (src/<trigger>/<version>/test/index.js `getHandlerFactory`).
 */
export function entrypointsOf(trigger: TriggerId): readonly string[] {
  return TRIGGERS[trigger].entrypoints;
}
