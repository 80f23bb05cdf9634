/**
 * One deadline per trigger (SPEC 8): Auth0's 20 s cover all Actions of a trigger, run one
 * after the other. Three Actions whose deadlines add up to less than 20 s, every system
 * hanging, finish together under 20 s — measured on a virtual clock (compiler/emulator/clock.ts:
 * the Actions' timers and Date are virtual, fetch never answers), so the figure is Auth0's
 * time, not this machine's. Three Actions of 8 s do not build (MAPC0710).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/pipeline';
import { createApi } from '../../compiler/emulator/auth0-api';
import { hangingFetch, VirtualClock } from '../../compiler/emulator/clock';
import { defaultEvent } from '../../compiler/triggers';
import { loadAction } from '../../compiler/emulator/load';
import { compileOrThrow, tempProject } from '../helpers/compiled';

const project = (deadline: string) => ({
  'mappings/mapc.yaml': `version: 1
defaults: { deadline: ${deadline}, timeout: 5s }
systems:
  slow:
    base_url: https://slow.example.com
    retries: 3
`,
  ...Object.fromEntries(
    ['crm-sync', 'billing-sync', 'risk-check'].map((name) => [
      `mappings/${name}.yaml`,
      `version: 1
name: ${name}
owner: team-${name}
trigger: post-login
action: ${name}
lookups:
  a: { system: slow, method: GET, path: /a }
  b: { system: slow, method: GET, path: "/b/{{a.id}}" }
fields:
  - to: app_metadata.${name.replace('-', '_')}
    from: b.value
`,
    ]),
  ),
});

describe("the Actions of one trigger share Auth0's 20 s", () => {
  it('three Actions of 6 s with hanging systems finish under 20 s together, each within its deadline', async () => {
    const compiled = await compileOrThrow(tempProject(project('6s')) + '/mappings');
    const actions = compiled.program.actions.filter((a) => a.trigger === 'post-login');
    expect(actions.map((a) => a.deadlineMs)).toEqual([6000, 6000, 6000]);
    const clock = new VirtualClock();
    const start = clock.now();
    const net = hangingFetch();
    // Auth0 runs a trigger's Actions one after the other, in binding order.
    const binding = compiled.program.bindings.find((b) => b.trigger === 'post-login')!.actions;
    expect(binding).toHaveLength(3);
    const took: number[] = [];
    for (const name of binding) {
      const loaded = loadAction(compiled.code.get(name)!, [], { trigger: 'post-login', clock, fetch: net.fetch });
      const event = { ...defaultEvent('post-login'), secrets: {} };
      const { api, record } = createApi('post-login', event);
      const t0 = clock.now();
      await clock.drive(loaded.execute('onExecutePostLogin', event, api));
      took.push(clock.now() - t0);
      expect(record.errors).toEqual([]);
      expect(loaded.logs.some((l) => l.includes('"status":"deadline"'))).toBe(true);
    }
    // Every Action stopped waiting at its deadline (retries included), not later.
    for (const ms of took) expect(ms).toBeLessThanOrEqual(6000);
    expect(clock.now() - start).toBeLessThan(20_000);
    // The hanging system was asked again and again (retries), all within the deadlines.
    expect(net.calls.length).toBeGreaterThan(3);
  });

  it('three Actions of 8 s do not build, naming each Action and its share', async () => {
    const dir = tempProject(project('8s')) + '/mappings';
    const { result, diagnostics } = await compile({ projectDir: dir, cwd: dir });
    expect(result).toBeNull();
    const d = diagnostics.find((x) => x.code === 'MAPC0710')!;
    expect(d.message).toBe(
      'the 3 Actions of post-login can take 24s together (billing-sync 8s, crm-sync 8s, risk-check 8s), but Auth0 ends the whole post-login flow after 20s',
    );
  });
});
