'use strict';
/**
 * Table 5: metadata writes (`api.user.setAppMetadata` / `setUserMetadata` calls) per login,
 * generated vs hand-written, for logins where nothing changed and for a first login. Every
 * call feeds the one profile update Auth0 makes at the end of the trigger, which counts
 * against the tenant's Management API "Write User" rate limit; a login with no call makes
 * no update. Counts are deterministic: each is checked to be the same in every run.
 */
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');
const { writeLatencyProject, writeSampleSubset } = require('../lib/projects');
const { table, verdict } = require('../lib/stats');

const baseline = (name) => fs.readFileSync(path.join(h.ROOT, 'bench', 'baseline', name), 'utf8');

async function writes({ runs = 5 } = {}) {
  const stub = await h.startStub({
    delayMs: 0,
    rules: [
      { match: '/subscription', body: { tier: 'standard', status: 'active' } },
      { match: '/profiles/', body: { value: 'v' } },
    ],
  });
  const rows = [];
  const raw = [];
  try {
    const sample = await h.compileProject(writeSampleSubset(h.tempDir('writes-sample')));
    const sa = sample.program.actions[0];
    const sroutes = h.routesTo(sa, stub.url);
    const pair = (code, hand, routes) => [h.loadPostLogin(code, routes), h.loadPostLogin(hand, routes)];
    const [sgen, shand] = pair(sample.code.get(sa.name), baseline('sample-post-login.js'), sroutes);
    const secrets = { BILLING_API_KEY: 'bench-key' };
    const social = [
      { provider: 'google-oauth2', user_id: 'g', connection: 'google-oauth2', isSocial: true, profileData: { locale: 'en_us' } },
      { provider: 'facebook', user_id: 'f', connection: 'facebook', isSocial: true, profileData: { custom_facebook_data: { likes: 3 } } },
    ];
    const unchanged = h.postLoginEvent(
      {
        user: {
          app_metadata: { last_subscription_sync: new Date(Date.now() - 3600_000).toISOString(), subscription_tier: 'standard', subscription_status: 'active', facebook_custom_data: { likes: 3 } },
          user_metadata: { preferred_locale: 'en-US' },
          identities: social,
        },
      },
      secrets,
    );
    const first = h.postLoginEvent({ user: { identities: social } }, secrets);
    const lat = await h.compileProject(writeLatencyProject(h.tempDir('writes-latency'), 8));
    const la = lat.program.actions[0];
    const [lgen, lhand] = pair(lat.code.get(la.name), baseline('latency-8.js'), h.routesTo(la, stub.url));
    const stored = {};
    for (let i = 1; i <= 8; i++) stored[`r${i}`] = 'v';
    const latUnchanged = h.postLoginEvent({ user: { app_metadata: stored } }, { SVC_API_KEY: 'bench-key' });

    const scenarios = [
      ['sample subset, returning user, nothing changed (social profile the same, sync fresh)', sgen, shand, unchanged, true],
      ['8 lookups, every answer equal to the stored value', lgen, lhand, latUnchanged, true],
      ['sample subset, first login with Google and Facebook identities', sgen, shand, first, false],
    ];
    for (const [name, gen, hand, event, nothingChanged] of scenarios) {
      const count = async (a) => {
        const seen = new Set();
        for (let i = 0; i < runs; i++) {
          const r = await a.run(event);
          seen.add(`${r.appMetadataCalls.length}/${r.userMetadataCalls.length}`);
        }
        a.clearLogs();
        if (seen.size !== 1) throw new Error(`metadata calls vary between runs: ${[...seen]}`);
        const [app, user] = [...seen][0].split('/').map(Number);
        return { app, user, calls: app + user };
      };
      const g = await count(gen);
      const b = await count(hand);
      raw.push({ name, gen: g, hand: b });
      const cell = (c) => `${c.calls} (${c.app} app + ${c.user} user) → ${c.calls > 0 ? 1 : 0} profile update`;
      rows.push([name, cell(g), cell(b), nothingChanged ? `0: ${verdict(g.calls === 0)}` : '—']);
    }
  } finally {
    await stub.close();
  }
  return {
    title: '5. Metadata writes per login (setAppMetadata + setUserMetadata calls)',
    markdown: table(['login', 'generated (mapc)', 'hand-written', 'target (nothing changed)'], rows),
    raw,
  };
}

module.exports = { writes };
