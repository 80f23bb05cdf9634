/**
 * `if(condition, then, else)` (#18, conditional values) in a generated Action, loaded as Auth0
 * loads it and run: the branch taken is written, a null condition takes else, a missing else
 * is null (nothing written), and only the branch taken is computed — the other branch's
 * function never runs (it would log an unparseable date).
 */
import { describe, expect, it } from 'vitest';
import { compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
attributes:
  app_metadata.label: { owner: team-a, type: string, enum: [verified, unverified] }
  app_metadata.lazy: { owner: team-a, type: string }
  app_metadata.plan_lower: { owner: team-a, type: string }
  app_metadata.visits: { owner: team-a, type: number }
`;

const SPEC = `version: 1
name: conditional
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.label
    from: if(user.email_verified, 'verified', 'unverified')
  - to: app_metadata.lazy
    from: "if(stats.logins_count > 1, 'returning', hours_since('not a date'))"
  - to: app_metadata.plan_lower
    from: if(exists(user.user_metadata.plan), lower(user.user_metadata.plan))
  - to: app_metadata.visits
    from: if(user.phone_verified, 0, stats.logins_count)
`;

describe('if()', () => {
  it('writes the branch taken, and computes only that branch', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/conditional.yaml': SPEC });
    const compiled = await compileOrThrow('mappings', dir);
    const returning = await runCompiled(compiled, 'mapc-post-login', { event: { user: { email_verified: true, phone_verified: false, user_metadata: { plan: 'GOLD' } }, stats: { logins_count: 5 } } });
    expect(returning.threw).toBeUndefined();
    expect(returning.appMetadata).toMatchObject({ label: 'verified', lazy: 'returning', plan_lower: 'gold', visits: 5 });
    // The else branch (hours_since of a non-date, which logs) was not computed.
    expect(returning.logs.filter((l) => l.includes('hours_since'))).toEqual([]);

    const first = await runCompiled(compiled, 'mapc-post-login', { event: { user: { email_verified: false, phone_verified: true, user_metadata: {} }, stats: { logins_count: 1 } } });
    expect(first.threw).toBeUndefined();
    expect(first.appMetadata['label']).toBe('unverified');
    // No plan: if() without else is null, and a null value is not written.
    expect(first.appMetadata).not.toHaveProperty('plan_lower');
    // The else branch ran this time: hours_since logged the date it could not read, and its
    // null is not a string, so nothing was written.
    expect(first.logs.filter((l) => l.includes('hours_since')).length).toBe(1);
    expect(first.appMetadata).not.toHaveProperty('lazy');
    expect(first.appMetadata['visits']).toBe(0);
  });

  it('a null condition takes else', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': PROJECT,
      'mappings/conditional.yaml': `version: 1
name: conditional
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.label
    from: if(user.app_metadata.verified_flag, 'verified', 'unverified')
`,
    });
    const compiled = await compileOrThrow('mappings', dir);
    const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: {} } } });
    expect(r.threw).toBeUndefined();
    expect(r.appMetadata['label']).toBe('unverified');
  });
});
