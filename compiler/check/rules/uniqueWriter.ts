/**
 * MAPC0404/0405: one writer per target (SPEC 4). Two writers of the same key, or of a key and a
 * key nested inside it (`app_metadata.a` and `app_metadata.a.b`), on one trigger would
 * overwrite each other in an order nobody chose. On different triggers the flow orders them
 * (sign-up before login), so one owner may write a target from several triggers — consent
 * captured at sign-up and updated at login (#18) — but a second owner may not, on any trigger.
 * The second writer (in loaded order, then file order) gets the error; `related` points at the
 * first.
 */
import { diag, type CheckContext, type Rule } from '../context';
import { targetSegments } from '../../targets';
import type { Write } from '../../resolve';

/**
 * The accepted writes, indexed so that finding the first one a new target overlaps takes
 * time proportional to the target's depth, not to the number of writes (a 1,000-spec project
 * has ~8,000 targets). Accepted targets never overlap each other, so a new target overlaps
 * either at most one accepted target at or above it (its own key or a prefix), or only
 * targets strictly inside it; of the latter the first accepted is the one reported.
 */
class Accepted {
  /** Accepted write by its full key. */
  private readonly exact = new Map<string, Write>();
  /** First accepted write strictly inside a key, by that key. */
  private readonly inside = new Map<string, Write>();

  /** The first accepted write `segments` overlaps, and how; undefined when none. */
  find(segments: readonly string[]): { first: Write; how: 'same' | 'nested' } | undefined {
    let key = segments[0]!;
    for (let i = 1; i < segments.length; i++) {
      key += `\0${segments[i]!}`;
      const first = this.exact.get(key);
      if (first) return { first, how: i === segments.length - 1 ? 'same' : 'nested' };
    }
    const first = this.inside.get(key);
    return first ? { first, how: 'nested' } : undefined;
  }

  add(segments: readonly string[], w: Write): void {
    let key = segments[0]!;
    for (let i = 1; i < segments.length; i++) {
      // `inside` holds the first write below each proper prefix (kind alone is not a target).
      if (i > 1 && !this.inside.has(key)) this.inside.set(key, w);
      key += `\0${segments[i]!}`;
    }
    this.exact.set(key, w);
  }
}

export const uniqueWriter: Rule = (ctx) => {
  const writes = ctx.resolved.writes;
  // Every accepted login write, and those of each trigger.
  const seen = new Accepted();
  const byTrigger = new Map<string, Accepted>();
  for (const w of writes) {
    if (w.phase !== 'login' || !w.target) continue;
    const trigger = w.spec.trigger.value;
    let own = byTrigger.get(trigger);
    if (!own) byTrigger.set(trigger, (own = new Accepted()));
    const segments = targetSegments(w.target);
    const sameTrigger = own.find(segments);
    if (sameTrigger) {
      report(ctx, w, sameTrigger);
      continue;
    }
    const other = seen.find(segments);
    if (other && other.first.owner !== w.owner) {
      report(ctx, w, other);
      continue;
    }
    // Unseen, or the same owner's write on another trigger.
    own.add(segments, w);
    if (!other) seen.add(segments, w);
  }
  // A spec's continue: block runs in onContinuePostLogin, a later run: it may write what the
  // spec wrote at login, but not what another spec writes, nor a target twice in the block.
  const bySpec = new Map<Write['spec'], Accepted>();
  for (const w of writes) {
    if (w.phase !== 'continue') continue;
    let own = bySpec.get(w.spec);
    if (!own) bySpec.set(w.spec, (own = new Accepted()));
    if (!w.target) continue;
    const segments = targetSegments(w.target);
    const sameTrigger = byTrigger.get(w.spec.trigger.value)?.find(segments);
    const other = seen.find(segments);
    if (sameTrigger && sameTrigger.first.spec !== w.spec) report(ctx, w, sameTrigger);
    else if (!sameTrigger && other && other.first.spec !== w.spec && other.first.owner !== w.owner) report(ctx, w, other);
    else accept(ctx, own, w);
  }
};

/** Accepts `w` into `seen`, or reports the accepted write it clashes with. */
function accept(ctx: CheckContext, seen: Accepted, w: Write): void {
  if (!w.target) return;
  const segments = targetSegments(w.target);
  const clash = seen.find(segments);
  if (!clash) {
    seen.add(segments, w);
    return;
  }
  report(ctx, w, clash);
}

function report(ctx: CheckContext, w: Write, clash: { first: Write; how: 'same' | 'nested' }): void {
  const { first, how } = clash;
  {
    const sameTrigger = first.spec.trigger.value === w.spec.trigger.value;
    const where =
      first.spec === w.spec
        ? 'earlier in this spec'
        : `by spec '${first.spec.name.value}' (owner ${first.owner}${sameTrigger ? '' : `, on ${first.spec.trigger.value}`})`;
    const related = [{ message: `'${first.text.value}' is first written here`, span: first.text.span }];
    if (how === 'same') {
      const secondOwner = first.owner !== w.owner;
      ctx.report(
        diag(
          'MAPC0404',
          w.text.span,
          `'${w.text.value}' is already written ${where}${secondOwner ? `: a target has one owner, and this write's is ${w.owner}` : ': two writes on one trigger overwrite each other in no set order'}`,
          first.spec === w.spec
            ? 'write each target once: combine the values with coalesce() or a when: condition on one field'
            : secondOwner
              ? `agree on one owner for '${w.text.value}' and remove one of the two writes (one owner may write it from several triggers)`
              : `write '${w.text.value}' from one spec of this trigger (combine the values with coalesce() or if())`,
          related,
        ),
      );
    } else {
      ctx.report(
        diag(
          'MAPC0405',
          w.text.span,
          `'${w.text.value}' overlaps '${first.text.value}', which is written ${where}: one write replaces the other`,
          'write either the whole object or its nested keys, from one spec',
          related,
        ),
      );
    }
  }

}
