/**
 * The contract between generated code and the runtime engine. Generated `code.js` builds one
 * `ActionPlan` at module load (Node 22 reuses module state across executions) and exports
 * `onExecute<Trigger> = (event, api) => runPlan(plan, event, api, phases)`, `phases` holding
 * the engine's phase functions the plan needs (`run(plan, event, api)` runs with all).
 *
 * Everything user-written arrives here as JavaScript literals (through the compiler's
 * `literal()` encoder) or as closures compiled from checked expressions. Closures are
 * synchronous, read the event as it arrived, and never throw (the compiler emits only calls
 * to runtime helpers that are total) — the engine still guards every call.
 */

/** What an expression closure can read. */
export interface Scope {
  readonly event: any;
  /** Lookup results by name (null when skipped or failed under `continue`). */
  readonly lookups: Readonly<Record<string, unknown>>;
  /** Inside a field's `when`: the computed value. */
  readonly value?: unknown;
  /** The target's value before this run. */
  readonly current?: unknown;
  /** Inside a send's `store`: the parsed JSON response. */
  readonly response?: unknown;
  /** In a spec's continue phase: the verified payload of the token the page returned. */
  readonly continue?: unknown;
}

export type Fn<T = unknown> = (s: Scope) => T;

export type OnError = 'continue' | 'deny';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Target =
  | { readonly kind: 'app_metadata' | 'user_metadata'; readonly path: readonly string[] }
  | { readonly kind: 'id_token' | 'access_token'; readonly claim: string }
  /** `api.accessToken.addScope` (value true) or `removeScope` (false). */
  | { readonly kind: 'scopes'; readonly scope: string }
  /** `api.samlResponse.setAttribute`. */
  | { readonly kind: 'saml'; readonly attribute: string }
  /** pre-user-registration `api.user.setUserId`. */
  | { readonly kind: 'user_id' };

/**
 * A target as text — `app_metadata.a.b`, `id_token.<full claim name>`, `scopes.<scope>`,
 * `saml.<attribute>`, `user_id` — the key of the attribute registry and of log lines, and the
 * compiler's `targetKey` (one spelling for both sides).
 */
export function targetText(t: Target): string {
  switch (t.kind) {
    case 'app_metadata':
    case 'user_metadata':
      return `${t.kind}.${t.path.join('.')}`;
    case 'id_token':
    case 'access_token':
      return `${t.kind}.${t.claim}`;
    case 'scopes':
      return `scopes.${t.scope}`;
    case 'saml':
      return `saml.${t.attribute}`;
    case 'user_id':
      return 'user_id';
  }
}

export type AuthPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly secret: string }
  | { readonly kind: 'header'; readonly header: string; readonly secret: string }
  | { readonly kind: 'basic'; readonly userSecret: string; readonly passwordSecret: string }
  /**
   * OAuth 2.0 client credentials (./oauth.ts): the token is fetched from `tokenUrl` with the two
   * secrets, shared by the run's requests and kept in `api.cache` under `cacheKey` (built at
   * compile time from the token URL, the client id's secret *name*, audience and scope).
   */
  | {
      readonly kind: 'oauth2';
      readonly tokenUrl: string;
      readonly clientIdSecret: string;
      readonly clientSecretSecret: string;
      readonly audience?: string;
      readonly scope?: string;
      readonly cacheKey: string;
    };

export interface SystemPlan {
  /** Returns the base URL (no trailing slash needed), or null when routing finds none. Absent with `routes`. */
  readonly baseUrl?: Fn<string | null>;
  /** When the base URL comes from a secret: its name (read from event.secrets). */
  readonly baseUrlSecret?: string;
  readonly auth: AuthPlan;
  /**
   * A routed system some of whose routes have their own credentials: the route key (the `by`
   * value as text), each route's base URL, the auth of the routes that have their own (the
   * others use `auth`), and the base URL when no route matches (null: the request fails).
   */
  readonly routes?: {
    readonly key: Fn<string>;
    readonly urls: Readonly<Record<string, string>>;
    readonly auth: Readonly<Record<string, AuthPlan>>;
    readonly default: string | null;
  };
}

export interface RequestPlan {
  readonly system: string;
  readonly method: HttpMethod;
  /** Path with every interpolation already URL-encoded; null aborts the request (logged). */
  readonly path: Fn<string | null>;
  readonly query?: Fn<Record<string, unknown>>;
  readonly headers?: Fn<Record<string, unknown>>;
  readonly body?: Fn<unknown>;
  readonly when?: Fn<unknown>;
  readonly idempotencyKey?: Fn<string | null>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly onError: OnError;
  readonly denyMessage?: string;
}

export interface LookupPlan extends RequestPlan {
  readonly name: string;
  /** Lookups this one reads; it starts when they have settled. */
  readonly after: readonly string[];
  /** Read only in branches: false when no branch reading it will be taken (then no request: `not needed`). */
  readonly needed?: Fn<unknown>;
}

export interface SendPlan extends RequestPlan {
  readonly store: readonly { readonly target: Target; readonly value: Fn }[];
}

export interface FieldPlan {
  readonly target: Target;
  /** The value after transforms and `default`. */
  readonly value: Fn;
  /** Evaluated with `value` (and `current`) in scope. */
  readonly when?: Fn;
  readonly clear?: boolean;
}

/** The signed session token a redirect sends (`api.redirect.encodeToken`, HS256). */
export interface TokenPlan {
  /** Secret name, read from event.secrets. */
  readonly secret: string;
  readonly expiresInSeconds: number;
  readonly payload?: Fn<Record<string, unknown>>;
  /** The query parameter carrying it to the page. */
  readonly parameter: string;
}

export interface RedirectPlan {
  readonly url: string;
  readonly query?: Fn<Record<string, unknown>>;
  /**
   * When Auth0 cannot redirect (canRedirect() false, a secret missing, another redirect
   * chosen): deny with this message. Absent (`otherwise: continue`): the rule does not apply
   * and later rules decide.
   */
  readonly otherwiseDeny?: string;
  readonly token?: TokenPlan;
}

export interface AccessPlan {
  readonly when: Fn;
  readonly deny?: string;
  readonly redirect?: RedirectPlan;
  readonly mfa?: string;
  /** api.validation.error(code, message): stops the login or sign-up like a deny. */
  readonly validationError?: { readonly code: string; readonly message: string };
  /** Options for api.multifactor.enable, when the spec gives any. */
  readonly mfaOptions?: { readonly allowRememberBrowser?: boolean };
}

/** What onContinuePostLogin does for a spec that redirected. */
export interface ResumePlan {
  /** Validate the returned token with this secret and /continue parameter first. */
  readonly token?: { readonly secret: string; readonly parameter: string };
  /** When the token is missing or invalid. */
  readonly denyMessage: string;
  readonly fields: readonly FieldPlan[];
  readonly access: readonly AccessPlan[];
}

export interface SpecPlan {
  readonly name: string;
  readonly onError: OnError;
  readonly lookups: readonly LookupPlan[];
  /** Lookups of other specs of this Action read under `name` (copied once the lookups phase is done). */
  readonly uses?: readonly { readonly name: string; readonly spec: string; readonly lookup: string }[];
  readonly fields: readonly FieldPlan[];
  readonly access: readonly AccessPlan[];
  readonly sends: readonly SendPlan[];
  /** Present when the spec redirects: its continue phase. */
  readonly resume?: ResumePlan;
}

export interface AttributeRule {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly enum?: readonly unknown[];
}

export interface ActionPlan {
  readonly action: string;
  readonly trigger:
    | 'post-login'
    | 'pre-user-registration'
    | 'post-user-registration'
    | 'credentials-exchange'
    | 'post-change-password';
  /** All external calls of one run together. */
  readonly deadlineMs: number;
  readonly systems: Readonly<Record<string, SystemPlan>>;
  readonly specs: readonly SpecPlan[];
  /** Registry rules by target (`app_metadata.subscription_tier`) for the targets this Action writes. */
  readonly registry: Readonly<Record<string, AttributeRule>>;
  /** Max bytes of a response body read. */
  readonly maxResponseBytes: number;
}
