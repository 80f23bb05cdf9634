/**
 * Auth0's size limits on what an Action writes (AUTH0-FACTS.md §3), checked at run time: the
 * values come from user data and lookups, so the compiler cannot know their size.
 *
 * The rule (applied by the engine's write phase, `applyWrites`):
 * - Metadata: the engine makes one `api.user.setAppMetadata` / `setUserMetadata(top, value)`
 *   call per changed top-level key (nested targets merged into it), in key order. Before each
 *   call it measures the metadata object as it would be after it: the user's
 *   `event.user.app_metadata` (or `user_metadata`) with this run's earlier calls applied and
 *   this one too (a null value removes the key, as Auth0's setters do). When that is over
 *   METADATA_MAX_BYTES the call is not made and one `over_limit` line is logged; earlier
 *   calls that fitted are kept, and later ones are measured without the skipped one.
 *   app_metadata and user_metadata each have their own 32 KB.
 * - Claims: per token (id_token and access_token apart), the custom claims this run sets, as
 *   one object `{name: value}`. A claim that would take that object over CLAIMS_MAX_BYTES is
 *   not set and is logged the same way; the claims set before it stay, later ones still fit
 *   in what is left.
 * - A size is the number of UTF-8 bytes of `JSON.stringify` of the object (`jsonBytes`).
 *   A write whose api call fails does not count.
 * - The log line names the spec, the target (`app_metadata.<key>` or the claim's name), the
 *   size the write would make and the limit: never the value. Access decisions are not
 *   affected: a skipped write is only a write not made.
 *
 * The constants equal compiler/auth0.ts `LIMITS.metadataBytes` and `LIMITS.customClaimsBytes`
 * (tests/runtime/limits.test.ts; the runtime imports nothing from the compiler).
 */

/** Auth0's test api: the SAML attributes one run sets, together, at most 100 KiB (AUTH0-FACTS.md §9). */
export const SAML_MAX_BYTES = 100 * 1024;

/** Auth0: at most 32 kB of app_metadata, and 32 kB of user_metadata, per session. */
export const METADATA_MAX_BYTES = 32 * 1024;

/** Auth0: the custom claims of one token at most 100 KB. */
export const CLAIMS_MAX_BYTES = 100 * 1024;

const utf8 = (s: string): number => Buffer.byteLength(JSON.stringify(s), 'utf8');

/** A value left out of an object (by `clone` and `JSON.stringify`); null in an array. */
const dropped = (v: unknown): boolean => v === undefined || typeof v === 'function';

/**
 * UTF-8 bytes of `JSON.stringify(value)` for JSON-like data, without building the text and
 * without recursion (a value nested 100,000 deep must not overflow the stack). Values count
 * as `clone` writes them: undefined and functions are left out of objects; any other leaf
 * that is not JSON (a symbol, a bigint, NaN, undefined in an array) counts as null.
 */
export function jsonBytes(value: unknown): number {
  let n = 0;
  const work: unknown[] = [value];
  while (work.length > 0) {
    const v = work.pop();
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      const items = Array.isArray(v) ? v : Object.keys(o).filter((k) => !dropped(o[k]));
      // Brackets and commas: 2 for an empty container, else one more than the items.
      n += 1 + Math.max(items.length, 1);
      // One push per item: spreading a long array into push() overflows the stack.
      if (Array.isArray(v)) for (const x of v) work.push(x);
      else for (const k of items as string[]) (n += utf8(k) + 1), work.push(o[k]);
    } else if (typeof v === 'string') n += utf8(v);
    else n += (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? String(v).length : 4;
  }
  return n;
}
