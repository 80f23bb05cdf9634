/**
 * Found by attacking the write phase (#13, item 6): nothing limited the size of a write. A
 * 500 KB `app_metadata` value and a 300 KB claim copied from user_metadata were handed to
 * Auth0, which allows 32 KB of app_metadata (and of user_metadata) per session and 100 KB of
 * custom claims per token. Now the runtime measures each write (runtime/limits.ts): a
 * metadata call that would take the user's metadata over 32,768 bytes of JSON, or a claim
 * that would take its token's custom claims over 102,400, is not made and is logged
 * (`over_limit`, with the target, the size and the limit, never the value); the other writes
 * of the run are made and the login goes on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { CLAIMS_MAX_BYTES, METADATA_MAX_BYTES } from '../../../runtime/limits';
import { runCompiled } from '../../helpers/compiled';
import { buildSpec, parsedLogs } from '../support/project';

const SPEC = `version: 1
name: notes
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.bio
    from: user.user_metadata.bio
  - to: app_metadata.seen
    from: "'yes'"
  - to: id_token.greeting
    from: "'hello'"
  - to: id_token.note
    from: user.user_metadata.note
`;

const NOTE = 'https://acme.example/note';
const GREETING = 'https://acme.example/greeting';

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

let compiled: Compiled;
beforeAll(async () => {
  compiled = await buildSpec(SPEC);
});

const run = (user_metadata: Record<string, unknown>, app_metadata: Record<string, unknown> = {}) =>
  runCompiled(compiled, 'mapc-post-login', { event: { user: { user_metadata, app_metadata } } });

/** The over_limit lines of a run. */
const overLimit = (logs: readonly string[]) => parsedLogs(logs).filter((l) => l['status'] === 'over_limit');

describe('writes over Auth0 size limits', () => {
  it('a 500 KB app_metadata value and a 300 KB claim are not written; the small writes are; the login goes on', async () => {
    // Multi-byte characters: the limit is on UTF-8 bytes, not characters.
    const bio = 'é'.repeat(250_000);
    const note = 'Z'.repeat(300_000);
    const out = await run({ bio, note });
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.record.errors).toEqual([]);

    expect(out.record.appMetadataCalls).toEqual([['seen', 'yes']]);
    expect(out.appMetadata['bio']).toBeUndefined();
    expect(out.appMetadata['seen']).toBe('yes');
    expect(out.record.idTokenClaims).toEqual({ [GREETING]: 'hello' });

    const before = out.event['user'] as { app_metadata: Record<string, unknown> };
    expect(overLimit(out.logs)).toEqual([
      { mapc: 1, spec: 'notes', step: 'write', status: 'over_limit', msg: 'app_metadata.bio', bytes: bytes({ ...before.app_metadata, bio }), limit: 32_768 },
      { mapc: 1, spec: 'notes', step: 'write', status: 'over_limit', msg: NOTE, bytes: bytes({ [GREETING]: 'hello', [NOTE]: note }), limit: 102_400 },
    ]);
    // Never the value.
    for (const line of out.logs) {
      expect(line.length).toBeLessThanOrEqual(256);
      expect(line).not.toMatch(/éé|ZZ/);
    }
  });

  it('metadata exactly at 32,768 bytes is written; one byte more is skipped', async () => {
    // `seen` is already 'yes', so bio is the only metadata call.
    const probe = await run({ bio: '' }, { seen: 'yes' });
    const existing = (probe.event['user'] as { app_metadata: Record<string, unknown> }).app_metadata;
    const fits = 'b'.repeat(METADATA_MAX_BYTES - bytes({ ...existing, bio: '' }));
    expect(bytes({ ...existing, bio: fits })).toBe(32_768);

    const at = await run({ bio: fits }, { seen: 'yes' });
    expect(at.record.appMetadataCalls).toEqual([['bio', fits]]);
    expect(overLimit(at.logs)).toEqual([]);
    expect(at.record.access).toEqual({ kind: 'allow' });

    const over = await run({ bio: `${fits}b` }, { seen: 'yes' });
    expect(over.record.appMetadataCalls).toEqual([]);
    expect(overLimit(over.logs)).toEqual([expect.objectContaining({ msg: 'app_metadata.bio', bytes: 32_769, limit: 32_768 })]);
    expect(over.record.access).toEqual({ kind: 'allow' });
  });

  it('custom claims exactly at 102,400 bytes are set; one byte more is skipped, the claims before it stay', async () => {
    const fits = 'n'.repeat(CLAIMS_MAX_BYTES - bytes({ [GREETING]: 'hello', [NOTE]: '' }));
    expect(bytes({ [GREETING]: 'hello', [NOTE]: fits })).toBe(102_400);

    const at = await run({ note: fits });
    expect(at.record.idTokenClaims).toEqual({ [GREETING]: 'hello', [NOTE]: fits });
    expect(overLimit(at.logs)).toEqual([]);

    const over = await run({ note: `${fits}n` });
    expect(over.record.idTokenClaims).toEqual({ [GREETING]: 'hello' });
    expect(overLimit(over.logs)).toEqual([expect.objectContaining({ msg: NOTE, bytes: 102_401, limit: 102_400 })]);
    expect(over.record.access).toEqual({ kind: 'allow' });
  });
});
