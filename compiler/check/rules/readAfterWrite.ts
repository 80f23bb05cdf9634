/**
 * MAPC0414: a spec that reads a metadata target another spec of the same trigger writes sees
 * the value from before this run (SPEC 3: every expression reads the event as it arrived;
 * Auth0 applies metadata writes at the end of the trigger). A warning, once per reading
 * spec and written target, at the first read; `related` points at the writer.
 */
import type { PathRead } from '../../expr';
import { pathsRead } from '../../expr';
import { diag, type Rule } from '../context';
import { specExprs, valueExprs } from '../../model-walk';
import type { Spec } from '../../model';
import { isMetadata, overlap, type MetadataKind, type Target } from '../../targets';
import type { Write } from '../../resolve';

type MetadataTarget = Extract<Target, { kind: MetadataKind }>;

/** The metadata target a path of `user` reads (`user.app_metadata.a.b` → app_metadata.a.b), if any. */
function readTarget(p: PathRead): MetadataTarget | null {
  if (p.root !== 'user') return null;
  const [head, ...rest] = p.keys;
  if (head !== 'app_metadata' && head !== 'user_metadata') return null;
  const path: string[] = [];
  // Array indices end the target path: `a[0]` reads (part of) target `a`.
  for (const k of rest) {
    if (typeof k !== 'string') break;
    path.push(k);
  }
  return { kind: head, path };
}

/**
 * Metadata writes of one trigger, in loaded order, bucketed so that a read is compared only
 * with the writes it can overlap: a target overlaps another only under the same kind and, when
 * both name a key, the same first key. Linear in the project instead of specs × writes.
 */
class TriggerWrites {
  /** Writes by kind (for a read of a whole metadata object, `user.app_metadata`). */
  readonly byKind = new Map<string, Write[]>();
  /** Writes by kind and first key. */
  readonly byTop = new Map<string, Write[]>();
  /** Number of writes per spec (to skip a spec when only it writes on the trigger). */
  readonly perSpec = new Map<Spec, number>();
  count = 0;

  add(w: Write, t: MetadataTarget): void {
    push(this.byKind, t.kind, w);
    push(this.byTop, `${t.kind}\0${t.path[0]!}`, w);
    this.perSpec.set(w.spec, (this.perSpec.get(w.spec) ?? 0) + 1);
    this.count++;
  }

  /** The writes that may overlap `t`, in loaded order. */
  candidates(t: MetadataTarget): readonly Write[] {
    return (t.path.length === 0 ? this.byKind.get(t.kind) : this.byTop.get(`${t.kind}\0${t.path[0]!}`)) ?? [];
  }
}

function push<K>(m: Map<K, Write[]>, k: K, w: Write): void {
  const list = m.get(k);
  if (list) list.push(w);
  else m.set(k, [w]);
}

/** The hint: read the writer's source — its lookup through `uses:` when the written value comes from one. */
function sharedHint(w: Write): string {
  const lookups = new Set(w.spec.lookups.map((l) => l.name.value));
  const value = w.source.kind === 'field' ? w.source.field.from : w.source.value;
  const read = valueExprs(value).flatMap(pathsRead).find((p) => lookups.has(p.root));
  return read
    ? `read its source instead: add \`uses: { ${read.root}: ${w.spec.name.value}.${read.root} }\` and read ${read.root} (fetched once for both specs), or move the logic into the writing spec`
    : 'read the source the writer uses instead, or move the logic into the writing spec';
}

export const readAfterWrite: Rule = (ctx) => {
  const byTrigger = new Map<string, TriggerWrites>();
  for (const w of ctx.resolved.writes) {
    const t = w.target;
    if (!t || !isMetadata(t)) continue;
    const trigger = w.spec.trigger.value;
    let tw = byTrigger.get(trigger);
    if (!tw) byTrigger.set(trigger, (tw = new TriggerWrites()));
    tw.add(w, t);
  }
  for (const spec of ctx.specs) {
    const tw = byTrigger.get(spec.trigger.value);
    if (!tw || tw.count === (tw.perSpec.get(spec) ?? 0)) continue;
    const reported = new Set<string>();
    for (const read of specExprs(spec).flatMap(pathsRead)) {
      const target = readTarget(read);
      if (!target) continue;
      for (const w of tw.candidates(target)) {
        if (w.spec === spec || reported.has(w.text.value) || overlap(target, w.target!) === null) continue;
        reported.add(w.text.value);
        ctx.report(
          diag(
            'MAPC0414',
            read.span,
            `spec '${w.spec.name.value}' writes '${w.text.value}' on ${spec.trigger.value} too; this spec sees the value from before this run`,
            sharedHint(w),
            [{ message: `'${w.text.value}' is written here`, span: w.text.span }],
          ),
        );
      }
    }
  }
};
