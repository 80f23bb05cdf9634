/**
 * Every write a spec makes: field `to:` targets and send `store:` targets, in file order,
 * with the owner accountable for each (the entry's `owner:`, else the spec's).
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
}

/** Writes of one spec, fields first, then sends' stores, each in file order. */
export function writesOf(spec: Spec): Write[] {
  const out: Write[] = [];
  for (const field of spec.fields) {
    out.push(make(spec, field.to, field.owner, { kind: 'field', field }));
  }
  for (const send of spec.sends) {
    for (const st of send.store) {
      out.push(make(spec, st.target, send.owner, { kind: 'store', send, value: st.value }));
    }
  }
  return out;
}

/** Writes of every spec, in loaded spec order. */
export function allWrites(specs: readonly Spec[]): Write[] {
  return specs.flatMap(writesOf);
}

function make(spec: Spec, text: Located<string>, owner: Located<string> | undefined, source: Write['source']): Write {
  const parsed = parseTarget(text.value);
  return {
    spec,
    text,
    target: isTarget(parsed) ? parsed : null,
    owner: owner?.value ?? spec.owner.value,
    ...(owner ? { ownerSpan: owner.span } : {}),
    source,
  };
}
