/**
 * Comparing two snapshots: which items were added, removed or changed (and which of their
 * properties), in report order, plus the size change of every Action. Pure and deterministic.
 */
import { TRIGGER_IDS, type TriggerId } from '../triggers';
import { ITEM_KINDS, type Item, type ItemKind, type Props, type PropValue, type Snapshot } from './snapshot';

export type ChangeStatus = 'added' | 'removed' | 'changed';

export interface PropChange {
  readonly name: string;
  /** Absent: not set on that side. */
  readonly before?: PropValue;
  readonly after?: PropValue;
}

export interface Change {
  readonly kind: ItemKind;
  readonly key: string;
  readonly spec?: string;
  /** The spec's trigger (head side when it exists). */
  readonly trigger?: TriggerId;
  readonly status: ChangeStatus;
  readonly before?: Props;
  readonly after?: Props;
  /** For `changed`: the differing properties, in property order. Empty otherwise. */
  readonly props: readonly PropChange[];
}

export interface SizeChange {
  readonly name: string;
  readonly trigger: TriggerId;
  /** Bytes; absent when the Action does not exist on that side. */
  readonly before?: number;
  readonly after?: number;
  readonly delta: number;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function same(a: PropValue | undefined, b: PropValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function propChanges(before: Props, after: Props): PropChange[] {
  const names: string[] = [];
  for (const k of [...Object.keys(before), ...Object.keys(after)]) if (!names.includes(k)) names.push(k);
  const out: PropChange[] = [];
  for (const name of names) {
    const b = before[name];
    const a = after[name];
    if (same(b, a)) continue;
    out.push({ name, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  }
  return out;
}

const PROJECT_KINDS: readonly ItemKind[] = ['project', 'system', 'attribute'];

/** Every added, removed and changed item: project items first, then by trigger, spec, kind and key. */
export function compareItems(base: Snapshot, head: Snapshot): Change[] {
  const ids = new Set([...base.items.keys(), ...head.items.keys()]);
  // A spec's children are listed under the spec's trigger on the head side (where it moved to).
  const specTrigger = new Map<string, TriggerId>();
  for (const snap of [base, head]) {
    for (const item of snap.items.values()) if (item.kind === 'spec' && item.trigger) specTrigger.set(item.key, item.trigger);
  }
  const changes: Change[] = [];
  for (const id of ids) {
    const b = base.items.get(id);
    const a = head.items.get(id);
    const item = (a ?? b) as Item;
    const trigger = item.spec !== undefined ? specTrigger.get(item.spec) : undefined;
    const at = {
      kind: item.kind,
      key: item.key,
      ...(item.spec !== undefined ? { spec: item.spec } : {}),
      ...(trigger ? { trigger } : {}),
    };
    if (!b) changes.push({ ...at, status: 'added', after: a!.props, props: [] });
    else if (!a) changes.push({ ...at, status: 'removed', before: b.props, props: [] });
    else {
      const props = propChanges(b.props, a.props);
      if (props.length > 0) changes.push({ ...at, status: 'changed', before: b.props, after: a.props, props });
    }
  }
  return changes.sort(compareChanges);
}

function compareChanges(x: Change, y: Change): number {
  const px = PROJECT_KINDS.includes(x.kind) ? 0 : 1;
  const py = PROJECT_KINDS.includes(y.kind) ? 0 : 1;
  return (
    px - py ||
    TRIGGER_IDS.indexOf(x.trigger ?? 'post-login') - TRIGGER_IDS.indexOf(y.trigger ?? 'post-login') ||
    cmp(x.spec ?? '', y.spec ?? '') ||
    ITEM_KINDS.indexOf(x.kind) - ITEM_KINDS.indexOf(y.kind) ||
    compareKeys(x, y)
  );
}

/** Access rules by position (`#2` before `#10`); everything else by key. */
function compareKeys(x: Change, y: Change): number {
  if (x.kind === 'access') {
    const nx = Number(/^#(\d+)/.exec(x.key)?.[1] ?? 0);
    const ny = Number(/^#(\d+)/.exec(y.key)?.[1] ?? 0);
    if (nx !== ny) return nx - ny;
  }
  return cmp(x.key, y.key);
}

/** The size of every Action on either side, in trigger then name order. */
export function compareSizes(base: Snapshot, head: Snapshot): SizeChange[] {
  const names = [...new Set([...base.actions.keys(), ...head.actions.keys()])];
  const out: SizeChange[] = names.map((name) => {
    const b = base.actions.get(name);
    const a = head.actions.get(name);
    return {
      name,
      trigger: (a ?? b)!.trigger,
      ...(b ? { before: b.bytes } : {}),
      ...(a ? { after: a.bytes } : {}),
      delta: (a?.bytes ?? 0) - (b?.bytes ?? 0),
    };
  });
  return out.sort((x, y) => TRIGGER_IDS.indexOf(x.trigger) - TRIGGER_IDS.indexOf(y.trigger) || cmp(x.name, y.name));
}
