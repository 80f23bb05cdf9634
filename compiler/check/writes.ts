/**
 * Every write a spec makes: field `to:` targets and send `store:` targets, in file order,
 * then the fields of its `continue:` block, with the owner accountable for each (the entry's
 * `owner:`, else the spec's).
 */
import type { Field, Send, Spec, Value } from '../model';
import type { Located, Span } from '../source';
import { isTarget, parseTarget, type Target } from '../targets';

export interface Write {
  readonly spec: Spec;
  /** The target as written; its span is where diagnostics point. */
  readonly text: Located<string>;
  /** Null when the target does not parse (the target-syntax rule reports it). */
  readonly target: Target | null;
  /** The accountable owner and, when the entry names one itself, where. */
  readonly owner: string;
  readonly ownerSpan?: Span;
  readonly source: { readonly kind: 'field'; readonly field: Field } | { readonly kind: 'store'; readonly send: Send; readonly value: Value };
  /** `continue`: written by onContinuePostLogin (the spec's `continue:` block), not at login. */
  readonly phase: 'login' | 'continue';
}

/** Writes of one spec, fields first, then sends' stores, then `continue:` fields, each in file order. */
export function writesOf(spec: Spec): Write[] {
  const out: Write[] = [];
  for (const field of spec.fields) {
    out.push(make(spec, field.to, field.owner, { kind: 'field', field }, 'login'));
  }
  for (const send of spec.sends) {
    for (const st of send.store) {
      out.push(make(spec, st.target, send.owner, { kind: 'store', send, value: st.value }, 'login'));
    }
  }
  for (const field of spec.continue?.fields ?? []) {
    out.push(make(spec, field.to, field.owner, { kind: 'field', field }, 'continue'));
  }
  return out;
}

/** Writes of every spec, in loaded spec order. */
export function allWrites(specs: readonly Spec[]): Write[] {
  return specs.flatMap(writesOf);
}

function make(spec: Spec, text: Located<string>, owner: Located<string> | undefined, source: Write['source'], phase: Write['phase']): Write {
  const parsed = parseTarget(text.value);
  return {
    phase,
    spec,
    text,
    target: isTarget(parsed) ? parsed : null,
    owner: owner?.value ?? spec.owner.value,
    ...(owner ? { ownerSpan: owner.span } : {}),
    source,
  };
}
