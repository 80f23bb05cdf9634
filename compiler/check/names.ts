/** Action grouping for the rules. */
import type { Spec } from '../model';
import { actionNameOf } from '../model-walk';

/** Specs grouped by Action name; groups and their specs in loaded order. */
export function groupByAction(specs: readonly Spec[]): Map<string, Spec[]> {
  const groups = new Map<string, Spec[]>();
  for (const spec of specs) {
    const name = actionNameOf(spec);
    const list = groups.get(name);
    if (list) list.push(spec);
    else groups.set(name, [spec]);
  }
  return groups;
}
