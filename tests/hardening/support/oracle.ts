/**
 * What must hold after every run of an Action, whatever the event and whatever the systems
 * answered: the handler did not throw, no spec failed with an unexpected exception, every
 * deny is one the specs declare and has its cause (a matching access rule, or a failed
 * request under `on_error: deny`), every write fits the attribute registry, and every log
 * line is short JSON. Returns the violations (empty when all hold).
 */
import type { ActionIR, AttributeRuleIR } from '../../../compiler/ir/types';
import type { RunResult } from './host';

export type AnswerClass = 'ok' | 'failed';

/** Independent re-implementation of the registry rule (not the runtime's `fitsRule`). */
export function fits(rule: Pick<AttributeRuleIR, 'type' | 'enum'>, v: unknown): boolean {
  const typed =
    (rule.type === 'string' && typeof v === 'string') ||
    (rule.type === 'number' && typeof v === 'number' && Number.isFinite(v)) ||
    (rule.type === 'integer' && typeof v === 'number' && Number.isSafeInteger(v)) ||
    (rule.type === 'boolean' && typeof v === 'boolean') ||
    (rule.type === 'array' && Array.isArray(v)) ||
    (rule.type === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v));
  return typed && (rule.enum === undefined || rule.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)));
}

const own = (o: unknown, k: string): unknown =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;

const at = (o: unknown, keys: readonly string[]): unknown => keys.reduce<unknown>((v, k) => own(v, k), o);

/** The deny messages an Action can produce, by where they come from. */
export function declaredDenies(action: ActionIR): Set<string> {
  const out = new Set<string>();
  for (const s of action.specs) {
    for (const a of s.access) {
      if (a.action.kind === 'deny') out.add(a.action.message);
      // A redirect that cannot happen denies with its otherwise message.
      if (a.action.kind === 'redirect' && a.action.otherwise.kind === 'deny') out.add(a.action.otherwise.message);
    }
    for (const r of [...s.lookups, ...s.sends]) if (r.onError === 'deny') out.add(r.denyMessage ?? 'Access denied.');
    if (s.onError === 'deny') out.add('Access denied.');
  }
  return out;
}

interface LogLine {
  spec?: string;
  step?: string;
  system?: string;
  status?: string | number;
  msg?: string;
}

/**
 * `answers`: per system, the class of every answer it gave in this run (the test's own
 * record of what it scripted, independent of the Action's logs).
 */
export function violations(
  action: ActionIR,
  event: Record<string, unknown>,
  r: RunResult,
  answers: ReadonlyMap<string, AnswerClass[]>,
): string[] {
  const bad: string[] = [];
  if ('threw' in r) bad.push(`handler threw: ${String(r.threw)}`);
  const lines: LogLine[] = [];
  for (const l of r.logs) {
    if (l.length > 256) bad.push(`log line over 256 characters (${l.length})`);
    try {
      lines.push(JSON.parse(l) as LogLine);
    } catch {
      bad.push(`log line is not JSON: ${l.slice(0, 80)}`);
    }
  }
  for (const l of lines) if (l.status === 'error') bad.push(`unexpected exception in spec ${l.spec} at ${l.step}: ${l.msg}`);
  if (r.refused.length > 0) bad.push(`fetched a URL no system serves: ${r.refused[0]}`);
  // No call that Auth0's test api would reject (or Auth0 would fail the login for).
  for (const e of r.record.errors) bad.push(`api call Auth0 rejects: ${e}`);

  // Denies: declared, and caused.
  const access = r.record.access;
  if (access.kind === 'deny') {
    if (!declaredDenies(action).has(access.reason)) bad.push(`undeclared deny: ${access.reason.slice(0, 80)}`);
    const d = lines.find((l) => l.status === 'deny');
    const spec = action.specs.find((s) => s.name === d?.spec);
    if (!d || !spec || d.step === undefined) bad.push('deny without a deny log line');
    else if (d.step.startsWith('access:')) {
      const rule = spec.access[Number(d.step.slice('access:'.length))];
      const message =
        rule?.action.kind === 'deny' ? rule.action.message : rule?.action.kind === 'redirect' && rule.action.otherwise.kind === 'deny' ? rule.action.otherwise.message : undefined;
      if (message !== access.reason) bad.push(`deny at ${d.step} is not that rule's`);
      // A redirect rule denies only when the redirect could not happen (logged as skipped first).
      if (rule?.action.kind === 'redirect' && !lines.some((l) => l.spec === spec.name && l.step === d.step && l.status === 'skipped')) {
        bad.push(`redirect rule at ${d.step} denied although it could redirect`);
      }
    } else if (d.step.startsWith('lookup:') || d.step.startsWith('send:')) {
      const req = d.step.startsWith('lookup:')
        ? spec.lookups.find((l) => l.name === d.step!.slice('lookup:'.length))
        : spec.sends[Number(d.step.slice('send:'.length))];
      if (!req || req.onError !== 'deny') bad.push(`deny at ${d.step} without on_error: deny`);
      else if (!(answers.get(req.system) ?? []).includes('failed') && !lines.some((l) => l.spec === spec.name && l.step === d.step && typeof l.status === 'string')) {
        // A policy deny needs a failure: a failed answer from the system, or a request that could not be made.
        bad.push(`deny at ${d.step} although ${req.system} answered well`);
      }
    } else bad.push(`deny at unexpected step ${d.step}`);
  }

  // Writes fit the registry (or carry the user's unchanged value at that path).
  const user = own(event, 'user');
  for (const [key, rule] of action.registry) {
    const [kind, top, ...rest] = key.split('.');
    const calls = kind === 'app_metadata' ? r.record.appMetadataCalls : kind === 'user_metadata' ? r.record.userMetadataCalls : [];
    for (const [k, v] of calls) {
      if (k !== top) continue;
      const written = rest.length === 0 ? v : at(v, rest);
      if (written == null) continue;
      const before = at(own(user, kind!), [top!, ...rest]);
      if (!fits(rule, written) && JSON.stringify(written) !== JSON.stringify(before)) {
        bad.push(`write to ${key} breaks the registry (${rule.type}): ${JSON.stringify(written)?.slice(0, 60)}`);
      }
    }
  }
  return bad;
}
