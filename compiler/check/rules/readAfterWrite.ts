/**
 * MAPC0414: a spec that reads a metadata target another spec of the same trigger writes sees
 * the value from before this run (SPEC 3: every expression reads the event as it arrived;
 * Auth0 applies metadata writes at the end of the trigger). A warning, once per reading
 * spec and written target, at the first read; `related` points at the writer.
 */
import type { PathRead } from '../../expr/walk';
import { pathsRead } from '../../expr/walk';
import { diag, type Rule } from '../context';
import { specExprs } from '../../model-walk';
import { overlap, type Target } from '../../targets';
import { allWrites } from '../writes';

/** The metadata target a path of `user` reads (`user.app_metadata.a.b` → app_metadata.a.b), if any. */
function readTarget(p: PathRead): Target | null {
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

export const readAfterWrite: Rule = (ctx) => {
  const writes = allWrites(ctx.specs).filter((w) => w.target && (w.target.kind === 'app_metadata' || w.target.kind === 'user_metadata'));
  for (const spec of ctx.specs) {
    const others = writes.filter((w) => w.spec !== spec && w.spec.trigger.value === spec.trigger.value);
    if (others.length === 0) continue;
    const reported = new Set<string>();
    for (const read of specExprs(spec).flatMap(pathsRead)) {
      const target = readTarget(read);
      if (!target) continue;
      for (const w of others) {
        if (reported.has(w.text.value) || overlap(target, w.target!) === null) continue;
        reported.add(w.text.value);
        ctx.report(
          diag(
            'MAPC0414',
            read.span,
            `spec '${w.spec.name.value}' writes '${w.text.value}' on ${spec.trigger.value} too; this spec sees the value from before this run`,
            'read the source the writer uses (for example its lookup) instead, or move the logic into the writing spec',
            [{ message: `'${w.text.value}' is written here`, span: w.text.span }],
          ),
        );
      }
    }
  }
};
