/**
 * The checked-shape model of a project: what the parse phase builds from YAML after schema
 * validation. No `yaml` types appear here; every user-written value keeps its span.
 * Durations are milliseconds. Expressions and templates are already parsed (syntax only);
 * type checking happens in the check phase.
 */
import type { Expr, Template } from './expr';
import type { Located, SourceFile, Span } from './source';
import type { TriggerId } from './triggers';

export type { HttpMethod, OnError } from '../runtime/plan';
import type { HttpMethod, OnError } from '../runtime/plan';
export type AttributeType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface Project {
  readonly file: SourceFile;
  readonly version: 1;
  readonly claimsNamespace?: Located<string>;
  readonly runtime: Located<'node22' | 'node18'>;
  readonly defaults: {
    readonly timeoutMs: Located<number>;
    readonly deadlineMs: Located<number>;
    readonly retries: Located<number>;
    readonly onError: Located<OnError>;
  };
  /** In file order. */
  readonly systems: readonly System[];
  /** Canonical-profile registry, keyed by target (`app_metadata.subscription_tier`), in file order. */
  readonly attributes: readonly Attribute[];
  /**
   * Actions not made by mapc (hand-written, Marketplace) that must stay bound to a trigger,
   * in order: a bindings update replaces a trigger's whole list (docs/deploy.md).
   */
  readonly externalActions: readonly ExternalAction[];
  /** `tests.defaults`: what every `mapc test` case starts from (read by compiler/emulator). */
  readonly testDefaults?: ProjectTestDefaults;
}

/** `tests.defaults` of mapc.yaml as written (validated by the schema), with where its parts are. */
export interface ProjectTestDefaults {
  readonly data: {
    readonly event?: Record<string, unknown>;
    readonly secrets?: Record<string, string>;
    readonly systems?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
    readonly now?: string;
  };
  /** Each scripted system's name. */
  readonly systemSpans: Readonly<Record<string, Span>>;
  readonly nowSpan?: Span;
}

export interface ExternalAction {
  readonly name: Located<string>;
  readonly trigger: Located<TriggerId>;
  readonly position: 'before' | 'after';
}

export type BaseUrl =
  | { readonly kind: 'static'; readonly url: Located<string> }
  | { readonly kind: 'secret'; readonly secret: Located<string> }
  | {
      readonly kind: 'routed';
      readonly by: Expr;
      /** Route key → base URL, and the route's own credentials when it has them (else the system's `auth`). */
      readonly routes: readonly { readonly key: string; readonly url: Located<string>; readonly auth?: Auth }[];
      readonly default?: Located<string>;
      readonly span: Span;
    };

export type Auth =
  | { readonly kind: 'none'; readonly span: Span }
  | { readonly kind: 'bearer'; readonly secret: Located<string>; readonly span: Span }
  | { readonly kind: 'header'; readonly header: Located<string>; readonly secret: Located<string>; readonly span: Span }
  | { readonly kind: 'basic'; readonly userSecret: Located<string>; readonly passwordSecret: Located<string>; readonly span: Span }
  | {
      readonly kind: 'oauth2';
      readonly tokenUrl: Located<string>;
      readonly clientIdSecret: Located<string>;
      readonly clientSecretSecret: Located<string>;
      readonly audience?: Located<string>;
      readonly scope?: Located<string>;
      readonly span: Span;
    };

export interface System {
  readonly name: Located<string>;
  readonly baseUrl: BaseUrl;
  readonly auth: Auth;
  readonly timeoutMs?: Located<number>;
  readonly retries?: Located<number>;
  readonly owner?: Located<string>;
  readonly span: Span;
}

export interface Attribute {
  /** e.g. `app_metadata.subscription_tier` */
  readonly target: Located<string>;
  readonly owner: Located<string>;
  readonly type: Located<AttributeType>;
  readonly enum?: Located<readonly unknown[]>;
  readonly description?: string;
  readonly span: Span;
}

/** A value position (SPEC 2.3): expression string, `{ value }`, `{ template }`, or (in bodies) a map/list of values. */
export type Value =
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'literal'; readonly value: unknown; readonly span: Span }
  | { readonly kind: 'template'; readonly template: Template; readonly span: Span }
  | {
      readonly kind: 'object';
      readonly entries: readonly { readonly key: Located<string>; readonly value: Value }[];
      readonly span: Span;
    }
  | { readonly kind: 'array'; readonly items: readonly Value[]; readonly span: Span };

/** One `transform:` step: `trim`, or `{ replace: ['-', '_'] }`. Arguments are YAML literals. */
export interface TransformStep {
  readonly name: Located<string>;
  /** Positional arguments after the value. A map argument (`map: { table, default }`) is matched by parameter name. */
  readonly args: readonly Located<unknown>[];
  readonly namedArgs?: readonly { readonly name: Located<string>; readonly value: Located<unknown> }[];
  readonly span: Span;
}

/** Common keys of lookups and sends (SPEC 2.2). */
export interface RequestSpec {
  readonly system: Located<string>;
  readonly method: Located<HttpMethod>;
  readonly path: Template;
  readonly query: readonly { readonly key: Located<string>; readonly value: Value }[];
  readonly headers: readonly { readonly key: Located<string>; readonly value: Value }[];
  readonly body?: Value;
  readonly when?: Expr;
  readonly timeoutMs?: Located<number>;
  readonly retries?: Located<number>;
  readonly idempotencyKey?: Template;
  /** Absent: inherits the spec's, then the project default. */
  readonly onError?: Located<OnError>;
  readonly denyMessage?: Located<string>;
  readonly owner?: Located<string>;
  readonly description?: string;
  readonly span: Span;
}

export interface Lookup extends RequestSpec {
  readonly name: Located<string>;
}

/** A shared lookup (`uses:`): another spec's lookup, read under `name`; fetched once, by its spec. */
export interface UsedLookup {
  readonly name: Located<string>;
  /** `<spec>.<lookup>` as written. */
  readonly from: Located<string>;
  readonly spec: string;
  readonly lookup: string;
}

export interface Send extends RequestSpec {
  /** `store:` target → expression over `response`, in file order. */
  readonly store: readonly { readonly target: Located<string>; readonly value: Value }[];
}

export interface Field {
  /** `app_metadata.x.y`, `user_metadata.x`, `id_token.claim`, `access_token.claim` */
  readonly to: Located<string>;
  readonly from: Value;
  readonly when?: Expr;
  readonly transform: readonly TransformStep[];
  readonly default?: Located<unknown>;
  readonly clear?: Located<boolean>;
  readonly owner?: Located<string>;
  readonly description?: string;
  readonly span: Span;
}

/** A redirect's signed session token (`api.redirect.encodeToken`). */
export interface RedirectToken {
  /** The Action secret it is signed with (HS256). */
  readonly secret: Located<string>;
  /** Absent: Auth0's default, 900 s. */
  readonly expiresInMs?: Located<number>;
  readonly payload: readonly { readonly key: Located<string>; readonly value: Value }[];
  /** The query parameter that carries it to the page; absent: `session_token`. */
  readonly parameter?: Located<string>;
  readonly span: Span;
}

/**
 * What a redirect rule does when Auth0 cannot redirect (`canRedirect()` false, or another
 * redirect already chosen): deny (the default, with `message` or mapc's stated one) or let
 * later rules decide.
 */
export type RedirectOtherwise =
  | { readonly kind: 'deny'; readonly message?: Located<string>; readonly span?: Span }
  | { readonly kind: 'continue'; readonly span: Span };

export type AccessAction =
  | { readonly kind: 'deny'; readonly message: Located<string> }
  | {
      readonly kind: 'redirect';
      readonly url: Located<string>;
      readonly query: readonly { readonly key: Located<string>; readonly value: Value }[];
      readonly otherwise: RedirectOtherwise;
      readonly token?: RedirectToken;
    }
  | { readonly kind: 'mfa'; readonly provider: Located<string>; readonly allowRememberBrowser?: Located<boolean> }
  /** `validation_error: { code, message }`: api.validation.error(code, message). */
  | { readonly kind: 'validation_error'; readonly code: Located<string>; readonly message: Located<string>; readonly span: Span };

export interface AccessRule {
  readonly when: Expr;
  readonly action: AccessAction;
  readonly owner?: Located<string>;
  readonly description?: string;
  readonly span: Span;
}

/**
 * `continue:` — what `onContinuePostLogin` does when the user comes back from one of this
 * spec's redirects: validate the returned token (when the redirect sent one), then these
 * fields and access rules, with `continue.<claim>` reading the verified payload.
 */
export interface ContinueBlock {
  /** The parameter of /continue carrying the page's token; absent: `session_token`. */
  readonly parameter?: Located<string>;
  /** Shown when the returned token is missing or invalid; absent: mapc's stated message. */
  readonly deny?: Located<string>;
  readonly fields: readonly Field[];
  readonly access: readonly AccessRule[];
  /** The `continue:` key. */
  readonly span: Span;
}

export interface Spec {
  readonly file: SourceFile;
  readonly version: 1;
  readonly name: Located<string>;
  readonly owner: Located<string>;
  readonly trigger: Located<TriggerId>;
  readonly description?: string;
  readonly onError?: Located<OnError>;
  /** `action:` — emit as its own Action instead of `mapc-<trigger>`. */
  readonly action?: Located<string>;
  readonly lookups: readonly Lookup[];
  /** `uses:` — other specs' lookups this spec reads, in file order. */
  readonly uses: readonly UsedLookup[];
  readonly fields: readonly Field[];
  readonly sends: readonly Send[];
  readonly access: readonly AccessRule[];
  readonly continue?: ContinueBlock;
  /** `deadline:` — the deadline of this spec's Action, in ms. */
  readonly deadlineMs?: Located<number>;
}

/** Everything the parse phase loaded. Specs are sorted by file path (determinism). */
export interface LoadedProject {
  readonly root: string;
  /** The absolute folder display paths (`SourceFile.path`) are relative to. */
  readonly cwd: string;
  readonly project: Project;
  readonly specs: readonly Spec[];
  /** `*.test.yaml` files found, sorted; parsed by `mapc test`. */
  readonly testFiles: readonly string[];
}
