/**
 * The IR: a typed, ordered description of every Action to emit, built from the checked
 * model. Specs are grouped per Action (SPEC 3), everything is in deterministic order, and
 * defaults are resolved (every timeout, retry count and policy is explicit). No YAML types
 * and no spans leak past this point except `source` for comments and the manifest.
 */
import type { Expr, Template } from '../expr';
import type { Located, Span } from '../source';
import type { AuthPlan, HttpMethod, OnError, Target } from '../../runtime/plan';
import type { TriggerId } from '../triggers';

export type { OnError, HttpMethod } from '../../runtime/plan';

export type ValueIR =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'template'; readonly template: Template }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, ValueIR])[] }
  | { readonly kind: 'array'; readonly items: readonly ValueIR[] };

/** What a field or store writes, as the runtime takes it: `claim` is the full claim name, namespace included. */
export type TargetIR = Target;

export interface TransformIR {
  /** Library function name (SPEC 2.5). */
  readonly fn: string;
  /** Literal arguments after the value, positional. */
  readonly args: readonly unknown[];
}

export interface RequestIR {
  /** The request's `owner:`, else the spec's (absent only in hand-made IR). */
  readonly owner?: string;
  readonly description?: string;
  readonly system: string;
  readonly method: HttpMethod;
  readonly path: Template;
  readonly query: readonly (readonly [string, ValueIR])[];
  readonly headers: readonly (readonly [string, ValueIR])[];
  readonly body?: ValueIR;
  readonly when?: Expr;
  readonly idempotencyKey?: Template;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly onError: OnError;
  readonly denyMessage?: string;
}

/** A shared lookup: spec `spec`'s lookup `lookup`, read as `name`. */
export interface UsedLookupIR {
  readonly name: string;
  readonly spec: string;
  readonly lookup: string;
}

export interface LookupIR extends RequestIR {
  readonly name: string;
  readonly after: readonly string[];
  /** Read only in branches: the condition under which a branch reading it is taken (compiler/resolve/needs.ts). */
  readonly needed?: Expr;
}

export interface SendIR extends RequestIR {
  readonly store: readonly { readonly target: TargetIR; readonly value: ValueIR }[];
  /** The send's `owner:`, else the spec's: the owner of every `store` write. */
  readonly owner: string;
}

export interface FieldIR {
  readonly target: TargetIR;
  /** The target as written (`id_token.tier`) and where: diff and diagnostics map back through it (absent only in hand-made IR). */
  readonly to?: Located<string>;
  readonly value: ValueIR;
  readonly transforms: readonly TransformIR[];
  readonly default?: unknown;
  readonly when?: Expr;
  readonly clear: boolean;
  readonly owner: string;
  readonly description?: string;
}

/** What a redirect rule does when Auth0 cannot redirect: deny with a message, or let later rules decide. */
export type RedirectOtherwiseIR = { readonly kind: 'deny'; readonly message: string } | { readonly kind: 'continue' };

/** The signed session token a redirect sends (`api.redirect.encodeToken`). */
export interface RedirectTokenIR {
  /** Secret name (read from event.secrets). */
  readonly secret: string;
  readonly expiresInSeconds: number;
  readonly payload: readonly (readonly [string, ValueIR])[];
  /** Query parameter carrying the token to the page. */
  readonly parameter: string;
}

export type AccessActionIR =
  | { readonly kind: 'deny'; readonly message: string }
  | {
      readonly kind: 'redirect';
      readonly url: string;
      readonly query: readonly (readonly [string, ValueIR])[];
      readonly otherwise: RedirectOtherwiseIR;
      readonly token?: RedirectTokenIR;
    }
  | { readonly kind: 'mfa'; readonly provider: string; readonly allowRememberBrowser?: boolean }
  | { readonly kind: 'validation_error'; readonly code: string; readonly message: string };

export interface AccessIR {
  readonly when: Expr;
  readonly action: AccessActionIR;
  /** The rule's `owner:`, else the spec's (absent only in hand-made IR). */
  readonly owner?: string;
  /** Where the rule is written (absent only in hand-made IR). */
  readonly span?: Span;
  readonly description?: string;
}

/**
 * What `onContinuePostLogin` does for a spec that redirected: validate the returned token
 * (when its redirects send one; a missing or invalid token denies with `denyMessage`), then
 * the `continue:` fields and access rules.
 */
export interface ResumeIR {
  readonly token?: { readonly secret: string; readonly parameter: string };
  readonly denyMessage: string;
  readonly fields: readonly FieldIR[];
  readonly access: readonly AccessIR[];
}

export interface SpecIR {
  readonly name: string;
  readonly owner: string;
  /** Spec file path relative to the project folder's parent, `/` separators (for comments). */
  readonly source: string;
  readonly description?: string;
  readonly onError: OnError;
  /** Topologically ordered: a lookup comes after those it reads. */
  readonly lookups: readonly LookupIR[];
  /** Other specs' lookups (of the same Action) this spec reads under `name` (`uses:`). */
  readonly uses?: readonly UsedLookupIR[];
  readonly fields: readonly FieldIR[];
  readonly access: readonly AccessIR[];
  readonly sends: readonly SendIR[];
  /** Present when the spec redirects (post-login): what the continue handler does for it. */
  readonly resume?: ResumeIR;
}

export type BaseUrlIR =
  | { readonly kind: 'static'; readonly url: string }
  | { readonly kind: 'secret'; readonly secret: string }
  | {
      readonly kind: 'routed';
      readonly by: Expr;
      readonly routes: readonly (readonly [string, string])[];
      readonly default?: string;
      /** Routes with their own credentials (route key → auth); the others, and the default, use the system's. */
      readonly routeAuth?: readonly (readonly [string, AuthPlan])[];
    };

/** A system's authentication, as the runtime takes it. */
export type AuthIR = AuthPlan;

export interface SystemIR {
  readonly name: string;
  readonly baseUrl: BaseUrlIR;
  readonly auth: AuthIR;
  /** Hosts this system may reach (static URLs, routes and oauth2 token URLs); no base URL host when the URL is a secret. */
  readonly hosts: readonly string[];
  readonly owner?: string;
}

export interface AttributeRuleIR {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly enum?: readonly unknown[];
  readonly owner: string;
}

export interface ActionIR {
  /** `mapc-<trigger>` or a spec's `action:`. */
  readonly name: string;
  readonly trigger: TriggerId;
  readonly handler: string;
  readonly triggerVersion: string;
  readonly runtime: 'node22' | 'node18';
  readonly deadlineMs: number;
  /** In spec-name order. */
  readonly specs: readonly SpecIR[];
  /** Systems used by these specs, sorted by name. */
  readonly systems: readonly SystemIR[];
  /** Secret names used, sorted. */
  readonly secrets: readonly string[];
  /** Registry rules for targets this Action writes, keyed `app_metadata.x`, sorted. */
  readonly registry: readonly (readonly [string, AttributeRuleIR])[];
  /** True when any access rule redirects (the Action then exports onContinuePostLogin). */
  readonly usesRedirect: boolean;
}

export interface ProgramIR {
  /** Sorted by trigger order (TRIGGER_IDS), then name. */
  readonly actions: readonly ActionIR[];
  readonly claimsNamespace?: string;
  /** Bindings per trigger, in execution order: mapc's Actions and declared external ones. */
  readonly bindings: readonly { readonly trigger: TriggerId; readonly actions: readonly string[] }[];
}
