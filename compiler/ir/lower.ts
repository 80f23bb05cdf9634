/**
 * Lowering: resolved, checked model → ProgramIR. Takes the Actions, targets and lookup order
 * the resolve phase bound, resolves every default (timeouts, retries, policies) and orders
 * everything else deterministically. Runs only on a project the check phase accepted; it
 * reports nothing.
 */
import { createHash } from 'node:crypto';
import { compare } from '../order';
import { systemHosts } from '../systems';
import type { Template } from '../expr';
import { outputPath } from '../model-walk';
import type { AccessRule, Auth, Field, Project, RequestSpec, Spec, System, TransformStep, Value } from '../model';
import type { ResolvedAction, ResolvedProject, ResolvedSpec } from '../resolve';
import type { Located } from '../source';
import { TRIGGER_IDS, TRIGGERS, type TriggerId } from '../triggers';
import { SIGNATURES } from '../../runtime/signatures';
import { targetText } from '../../runtime/plan';
import type {
  AccessIR,
  ActionIR,
  AttributeRuleIR,
  AuthIR,
  BaseUrlIR,
  FieldIR,
  LookupIR,
  OnError,
  ProgramIR,
  RequestIR,
  ResumeIR,
  SendIR,
  SpecIR,
  SystemIR,
  TargetIR,
  TransformIR,
  ValueIR,
} from './types';

/** Shown when a redirect rule that denies otherwise cannot redirect (refresh-token exchange, prompt=none, a second redirect). */
export const CANNOT_REDIRECT_MESSAGE = 'This sign-in needs a step in your browser. Please sign in again from the application.';

/** Shown when the user comes back to /continue without a valid token from the page. */
export const CONTINUE_DENY_MESSAGE = 'We could not verify your return to the sign-in. Please sign in again.';

/** Auth0's defaults for a redirect token (api.redirect.encodeToken / validateToken). */
export const TOKEN_DEFAULTS = { expiresInSeconds: 900, parameter: 'session_token' } as const;

/** Lowers a project the checker accepted, from the facts the resolve phase bound. */
export function lower(resolved: ResolvedProject): ProgramIR {
  const { project } = resolved;
  const ns = project.claimsNamespace?.value;
  const actions: ActionIR[] = resolved.actions.map((a) => lowerAction(a, resolved));
  // Deterministic order: trigger order of TRIGGER_IDS, then Action name.
  actions.sort(
    (a, b) => TRIGGER_IDS.indexOf(a.trigger) - TRIGGER_IDS.indexOf(b.trigger) || compare(a.name, b.name),
  );
  const bindings: { trigger: TriggerId; actions: string[] }[] = [];
  for (const trigger of TRIGGER_IDS) {
    const before = project.externalActions
      .filter((e) => e.trigger.value === trigger && e.position === 'before')
      .map((e) => e.name.value);
    const after = project.externalActions
      .filter((e) => e.trigger.value === trigger && e.position === 'after')
      .map((e) => e.name.value);
    const own = actions.filter((a) => a.trigger === trigger).map((a) => a.name);
    const all = [...before, ...own, ...after];
    if (all.length > 0) bindings.push({ trigger, actions: all });
  }
  return { actions, bindings, ...(ns !== undefined ? { claimsNamespace: ns } : {}) };
}

function lowerAction(action: ResolvedAction, resolved: ResolvedProject): ActionIR {
  const { project, loaded } = resolved;
  const { name, trigger } = action;
  const info = TRIGGERS[trigger];
  const sorted = [...action.specs].sort((a, b) => compare(a.spec.name.value, b.spec.name.value));
  const specIRs = sorted.map((r) => lowerSpec(r, project, outputPath(loaded, r.spec.file)));
  const systems = action.systems.map(lowerSystem).sort((a, b) => compare(a.name, b.name));
  const written = new Set<string>();
  for (const s of specIRs) {
    for (const f of [...s.fields, ...(s.resume?.fields ?? [])]) written.add(targetKey(f.target));
    for (const send of s.sends) for (const st of send.store) written.add(targetKey(st.target));
  }
  const registry: (readonly [string, AttributeRuleIR])[] = [];
  for (const attr of project.attributes) {
    const key = attr.target.value;
    if (!written.has(key)) continue;
    registry.push([
      key,
      {
        type: attr.type.value,
        owner: attr.owner.value,
        ...(attr.enum ? { enum: attr.enum.value } : {}),
      },
    ]);
  }
  registry.sort((a, b) => compare(a[0], b[0]));
  return {
    name,
    trigger,
    handler: info.handler,
    triggerVersion: info.version,
    runtime: project.runtime.value,
    deadlineMs: action.deadline.value,
    specs: specIRs,
    systems,
    secrets: [...action.secrets],
    registry,
    usesRedirect: specIRs.some((s) => s.access.some((a) => a.action.kind === 'redirect')),
  };
}

/** `app_metadata.a.b` for metadata targets, the full claim name for claims, prefixed by token; `scopes.<scope>`, `saml.<attribute>`, `user_id`. */
export function targetKey(t: TargetIR): string {
  return targetText(t);
}

function lowerSpec(r: ResolvedSpec, project: Project, source: string): SpecIR {
  const { spec } = r;
  // Targets as the resolve phase parsed them (claims namespaced), by the text they were written as.
  const targets = new Map(r.writes.map((w) => [w.text, w.resolved]));
  // On a trigger that cannot deny, an inherited project default `deny` degrades to
  // `continue` (the checker warns, MAPC0605; an explicit `deny` there is an error).
  const canDeny = TRIGGERS[spec.trigger.value].deny !== null;
  const degrade = (p: OnError): OnError => (canDeny ? p : 'continue');
  const specPolicy: OnError = degrade(spec.onError?.value ?? project.defaults.onError.value);
  const systems = new Map(project.systems.map((s) => [s.name.value, s]));
  // Dependencies and run order as the resolve phase found them (the cycle check reads the same).
  const byName = new Map(spec.lookups.map((l) => [l.name.value, l]));
  const lookups: LookupIR[] = r.lookupRuns.map(({ name, after, needed }) => {
    const l = byName.get(name)!;
    return { name, after: [...after], ...lowerRequest(l, spec, systems.get(l.system.value), project, specPolicy), ...(needed ? { needed } : {}) };
  });
  const sends: SendIR[] = spec.sends.map((s) => ({
    ...lowerRequest(s, spec, systems.get(s.system.value), project, specPolicy),
    owner: s.owner?.value ?? spec.owner.value,
    store: s.store.flatMap((st) => {
      const target = targets.get(st.target);
      return target ? [{ target, value: lowerValue(st.value) }] : [];
    }),
  }));
  const fields = spec.fields.flatMap((f) => lowerField(f, spec, targets));
  const access = spec.access.map((a) => lowerAccess(a, spec));
  const redirects = access.flatMap((a) => (a.action.kind === 'redirect' ? [a.action] : []));
  let resume: ResumeIR | undefined;
  if (redirects.length > 0) {
    // The checker makes a spec's redirects agree on their token (MAPC0613).
    const token = redirects.find((r) => r.token)?.token;
    resume = {
      ...(token ? { token: { secret: token.secret, parameter: spec.continue?.parameter?.value ?? TOKEN_DEFAULTS.parameter } } : {}),
      denyMessage: spec.continue?.deny?.value ?? CONTINUE_DENY_MESSAGE,
      fields: (spec.continue?.fields ?? []).flatMap((f) => lowerField(f, spec, targets)),
      access: (spec.continue?.access ?? []).map((a) => lowerAccess(a, spec)),
    };
  }
  return {
    name: spec.name.value,
    owner: spec.owner.value,
    source,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    onError: specPolicy,
    lookups,
    ...(spec.uses.length > 0 ? { uses: spec.uses.map((u) => ({ name: u.name.value, spec: u.spec, lookup: u.lookup })) } : {}),
    fields,
    access,
    sends,
    ...(resume ? { resume } : {}),
  };
}

function lowerField(f: Field, spec: Spec, targets: ReadonlyMap<Located<string>, TargetIR | null>): FieldIR[] {
  const target = targets.get(f.to);
  if (!target) return [];
  return [
    {
      target,
      to: f.to,
      value: lowerValue(f.from),
      transforms: f.transform.map(lowerTransform),
      ...(f.default !== undefined ? { default: f.default.value } : {}),
      ...(f.when ? { when: f.when } : {}),
      clear: f.clear?.value ?? false,
      owner: f.owner?.value ?? spec.owner.value,
      ...(f.description !== undefined ? { description: f.description } : {}),
    },
  ];
}

function lowerAccess(a: AccessRule, spec: Spec): AccessIR {
  const act = a.action;
  return {
    when: a.when,
    action:
      act.kind === 'deny'
        ? { kind: 'deny' as const, message: act.message.value }
        : act.kind === 'redirect'
          ? {
              kind: 'redirect' as const,
              url: act.url.value,
              query: act.query.map((q) => [q.key.value, lowerValue(q.value)] as const),
              otherwise:
                act.otherwise.kind === 'continue'
                  ? { kind: 'continue' as const }
                  : { kind: 'deny' as const, message: act.otherwise.message?.value ?? CANNOT_REDIRECT_MESSAGE },
              ...(act.token
                ? {
                    token: {
                      secret: act.token.secret.value,
                      expiresInSeconds: act.token.expiresInMs ? Math.max(1, Math.round(act.token.expiresInMs.value / 1000)) : TOKEN_DEFAULTS.expiresInSeconds,
                      payload: act.token.payload.map((c) => [c.key.value, lowerValue(c.value)] as const),
                      parameter: act.token.parameter?.value ?? TOKEN_DEFAULTS.parameter,
                    },
                  }
                : {}),
            }
          : act.kind === 'validation_error'
            ? { kind: 'validation_error' as const, code: act.code.value, message: act.message.value }
            : {
                kind: 'mfa' as const,
                provider: act.provider.value,
                ...(act.allowRememberBrowser !== undefined ? { allowRememberBrowser: act.allowRememberBrowser.value } : {}),
              },
    owner: a.owner?.value ?? spec.owner.value,
    span: a.span,
    ...(a.description !== undefined ? { description: a.description } : {}),
  };
}

function lowerRequest(r: RequestSpec, spec: Spec, system: System | undefined, project: Project, specPolicy: OnError): RequestIR {
  return {
    owner: r.owner?.value ?? spec.owner.value,
    ...(r.description !== undefined ? { description: r.description } : {}),
    system: r.system.value,
    method: r.method.value,
    path: r.path,
    query: r.query.map((q) => [q.key.value, lowerValue(q.value)] as const),
    headers: r.headers.map((h) => [h.key.value, lowerValue(h.value)] as const),
    ...(r.body ? { body: lowerValue(r.body) } : {}),
    ...(r.when ? { when: r.when } : {}),
    ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
    timeoutMs: r.timeoutMs?.value ?? system?.timeoutMs?.value ?? project.defaults.timeoutMs.value,
    retries: r.retries?.value ?? system?.retries?.value ?? project.defaults.retries.value,
    onError: r.onError?.value ?? specPolicy,
    ...(r.denyMessage ? { denyMessage: r.denyMessage.value } : {}),
  };
}

/** Model value → IR value (spans dropped). */
export function lowerValue(v: Value): ValueIR {
  switch (v.kind) {
    case 'expr':
      return { kind: 'expr', expr: v.expr };
    case 'literal':
      return { kind: 'literal', value: v.value };
    case 'template':
      return { kind: 'template', template: v.template };
    case 'object':
      return { kind: 'object', entries: v.entries.map((e) => [e.key.value, lowerValue(e.value)] as const) };
    case 'array':
      return { kind: 'array', items: v.items.map(lowerValue) };
  }
}

/** Positional arguments; named arguments (`map: { table, default }`) ordered by the signature's parameters. */
function lowerTransform(step: TransformStep): TransformIR {
  const fn = step.name.value;
  if (!step.namedArgs || step.namedArgs.length === 0) return { fn, args: step.args.map((a) => a.value) };
  const params = SIGNATURES[fn]?.params.slice(1) ?? [];
  const byName = new Map(step.namedArgs.map((a) => [a.name.value, a.value.value]));
  const args: unknown[] = params.map((p) => (byName.has(p.name) ? byName.get(p.name) : null));
  while (args.length > 0 && args[args.length - 1] === null && !byName.has(params[args.length - 1]!.name)) args.pop();
  return { fn, args };
}

function lowerSystem(sys: System): SystemIR {
  const b = sys.baseUrl;
  const baseUrl: BaseUrlIR =
    b.kind === 'static'
      ? { kind: 'static', url: b.url.value }
      : b.kind === 'secret'
        ? { kind: 'secret', secret: b.secret.value }
        : {
            kind: 'routed',
            by: b.by,
            routes: b.routes.map((r) => [r.key, r.url.value] as const),
            ...(b.default ? { default: b.default.value } : {}),
            ...(b.routes.some((r) => r.auth) ? { routeAuth: b.routes.flatMap((r) => (r.auth ? [[r.key, lowerAuth(r.auth)] as const] : [])) } : {}),
          };
  return { name: sys.name.value, baseUrl, auth: lowerAuth(sys.auth), hosts: systemHosts(sys), ...(sys.owner ? { owner: sys.owner.value } : {}) };
}

function lowerAuth(a: Auth): AuthIR {
  return a.kind === 'none'
    ? { kind: 'none' }
    : a.kind === 'bearer'
      ? { kind: 'bearer', secret: a.secret.value }
      : a.kind === 'header'
        ? { kind: 'header', header: a.header.value, secret: a.secret.value }
        : a.kind === 'basic'
          ? { kind: 'basic', userSecret: a.userSecret.value, passwordSecret: a.passwordSecret.value }
          : {
              kind: 'oauth2',
              tokenUrl: a.tokenUrl.value,
              clientIdSecret: a.clientIdSecret.value,
              clientSecretSecret: a.clientSecretSecret.value,
              ...(a.audience ? { audience: a.audience.value } : {}),
              ...(a.scope ? { scope: a.scope.value } : {}),
              cacheKey: oauthCacheKey(a.tokenUrl.value, a.clientIdSecret.value, a.audience?.value, a.scope?.value),
            };
}

/**
 * The `api.cache` key of an oauth2 token: 54 bytes (Auth0 allows 64), a SHA-256 of what picks
 * the token — the token URL, the client id's secret *name*, audience and scope — so it holds
 * no secret value, and systems with the same credentials share one token.
 */
export function oauthCacheKey(tokenUrl: string, clientIdSecret: string, audience: string | undefined, scope: string | undefined): string {
  return `mapc:oauth:${createHash('sha256').update(JSON.stringify([tokenUrl, clientIdSecret, audience ?? null, scope ?? null])).digest('base64url')}`;
}

export type { Template };
