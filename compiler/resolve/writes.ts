/**
 * Every write a spec makes: field `to:` targets and send `store:` targets, in file order,
 * then the fields of its `continue:` block, with the owner accountable for each (the entry's
 * `owner:`, else the spec's) and the target parsed once (compiler/targets.ts).
 */
import type { Field, Send, Spec, Value } from '../model';
import type { Located, Span } from '../source';
import { isTarget, parseTarget, type Target, type TargetProblem } from '../targets';
import type { Target as PlanTarget } from '../../runtime/plan';

export interface Write {
  readonly spec: Spec;
  /** The target as written; its span is where diagnostics point. */
  readonly text: Located<string>;
  /** Null when the target does not parse (`problem` says why; the target-syntax rule reports it). */
  readonly target: Target | null;
  readonly problem?: TargetProblem;
  /** The target as the generated Action writes it: a claim with its full name (the claims namespace applied). */
  readonly resolved: PlanTarget | null;
  /** The accountable owner and, when the entry names one itself, where. */
  readonly owner: string;
  readonly ownerSpan?: Span;
  readonly source: { readonly kind: 'field'; readonly field: Field } | { readonly kind: 'store'; readonly send: Send; readonly value: Value };
  /** `continue`: written by onContinuePostLogin (the spec's `continue:` block), not at login. */
  readonly phase: 'login' | 'continue';
}

/** Writes of one spec, fields first, then sends' stores, then `continue:` fields, each in file order. */
export function writesOf(spec: Spec, claimsNamespace: string | undefined): Write[] {
  const out: Write[] = [];
  const make = (text: Located<string>, owner: Located<string> | undefined, source: Write['source'], phase: Write['phase']): Write => {
    const parsed = parseTarget(text.value);
    const target = isTarget(parsed) ? parsed : null;
    return {
      spec,
      text,
      target,
      ...(isTarget(parsed) ? {} : { problem: parsed }),
      resolved: target === null ? null : target.kind === 'id_token' || target.kind === 'access_token' ? { kind: target.kind, claim: `${claimsNamespace ?? ''}${target.claim}` } : target,
      owner: owner?.value ?? spec.owner.value,
      ...(owner ? { ownerSpan: owner.span } : {}),
      source,
      phase,
    };
  };
  for (const field of spec.fields) out.push(make(field.to, field.owner, { kind: 'field', field }, 'login'));
  for (const send of spec.sends) {
    for (const st of send.store) out.push(make(st.target, send.owner, { kind: 'store', send, value: st.value }, 'login'));
  }
  for (const field of spec.continue?.fields ?? []) out.push(make(field.to, field.owner, { kind: 'field', field }, 'continue'));
  return out;
}
