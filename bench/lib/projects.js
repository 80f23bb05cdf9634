'use strict';
/**
 * Writes the projects the benchmarks compile: the latency projects (K independent lookups),
 * the sample subset (three specs copied from mappings/, so the baseline is compared with the
 * specs the sample organisation really ships) and the synthetic build-scaling projects.
 * Everything is written into a folder the caller owns (a temp dir); nothing is committed.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The sample organisation's post-login specs the hand-written baseline re-implements. */
const SAMPLE_SUBSET = ['subscription-enrichment', 'token-claims', 'social-profile'];

/**
 * Copies mappings/mapc.yaml and the SAMPLE_SUBSET specs into `<dir>/mappings`; returns that
 * folder. The project file is copied unchanged (its unused systems only raise warnings), so a
 * change to billing's timeout or the claims namespace reaches the benchmark and the test.
 */
function writeSampleSubset(dir) {
  const out = path.join(dir, 'mappings');
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'mappings', 'mapc.yaml'), path.join(out, 'mapc.yaml'));
  for (const name of SAMPLE_SUBSET) {
    fs.copyFileSync(path.join(ROOT, 'mappings', `${name}.yaml`), path.join(out, `${name}.yaml`));
  }
  return out;
}

/** Base URL of latency system i (1-based); the baselines hard-code the same hosts. */
const latencyBase = (i) => `https://svc${i}.bench.example`;

/**
 * A project whose one post-login spec makes K independent lookups (`r1`..`rK`, one per
 * system `svc1`..`svcK`) and stores each answer's `value` in `app_metadata.rI`: the spec a
 * hand-written Action would implement with K awaits in a row (bench/baseline/latency-K.js).
 */
function writeLatencyProject(dir, k) {
  const out = path.join(dir, 'mappings');
  fs.mkdirSync(out, { recursive: true });
  const systems = [];
  const lookups = [];
  const fields = [];
  for (let i = 1; i <= k; i++) {
    systems.push(`  svc${i}:\n    base_url: ${latencyBase(i)}\n    auth: { bearer: SVC_API_KEY }\n    owner: team-bench`);
    lookups.push(`  r${i}:\n    system: svc${i}\n    method: GET\n    path: /profiles/{{user.user_id}}`);
    fields.push(`  - to: app_metadata.r${i}\n    from: r${i}.value`);
  }
  fs.writeFileSync(
    path.join(out, 'mapc.yaml'),
    `version: 1\nclaims_namespace: https://bench.example/\ndefaults:\n  timeout: 2s\n  deadline: 8s\n  retries: 0\n  on_error: continue\nsystems:\n${systems.join('\n')}\n`,
  );
  fs.writeFileSync(
    path.join(out, `latency-${k}.yaml`),
    `version: 1\nname: latency-${k}\nowner: team-bench\ntrigger: post-login\ndescription: ${k} independent lookups.\nlookups:\n${lookups.join('\n')}\nfields:\n${fields.join('\n')}\n`,
  );
  return out;
}

const SCALING_SYSTEMS = 5;
/** Specs per Action in the scaling projects: keeps every Action far below Auth0's 100 kB. */
const SPECS_PER_ACTION = 10;

/** One synthetic post-login spec: 10 fields; a lookup every 2nd spec, a send every 3rd, access rules every 4th. */
function scalingSpec(i) {
  const id = `s${String(i).padStart(4, '0')}`;
  const lookup = i % 2 === 0;
  const send = i % 3 === 0;
  const rules = i % 4 === 0;
  const sys = (n) => `sys${n % SCALING_SYSTEMS}`;
  const src = lookup ? 'profile' : 'user.app_metadata';
  const lines = [
    'version: 1',
    `name: ${id}`,
    `owner: team-${i % 7}`,
    'trigger: post-login',
    `action: bench-${String(Math.floor(i / SPECS_PER_ACTION)).padStart(3, '0')}`,
    `description: Synthetic spec ${i} for the build-scaling benchmark.`,
  ];
  if (lookup) {
    lines.push(
      'lookups:',
      '  profile:',
      `    system: ${sys(i / 2)}`,
      '    method: GET',
      `    path: /profiles/${id}/{{user.user_id}}`,
      `    when: hours_since(user.app_metadata.${id}_synced) > 24 || !exists(user.app_metadata.${id}_tier)`,
    );
  }
  lines.push(
    'fields:',
    `  - to: app_metadata.${id}_tier`,
    `    from: lower(${src}.tier)`,
    `  - to: app_metadata.${id}_status`,
    `    from: ${src}.status`,
    '    transform: [trim, lower]',
    `  - to: app_metadata.${id}_synced`,
    '    from: now()',
    lookup ? '    when: exists(profile)' : `    when: "!exists(user.app_metadata.${id}_synced)"`,
    `  - to: app_metadata.${id}_email_domain`,
    '    from: email_domain(user.email)',
    `  - to: app_metadata.${id}_count`,
    `    from: to_int(${src}.count)`,
    `  - to: app_metadata.${id}_region`,
    `    from: coalesce(${src}.region, request.geoip.countryCode)`,
    `  - to: user_metadata.${id}_locale`,
    "    from: identity('google-oauth2').profileData.locale",
    '    transform: [trim, normalize_locale]',
    `  - to: user_metadata.${id}_name`,
    '    from: { template: "{{user.given_name}} {{user.family_name}}" }',
    `  - to: id_token.${id}_tier`,
    `    from: coalesce(lower(${src}.tier), user.app_metadata.${id}_tier)`,
    '    default: standard',
    `  - to: access_token.${id}_roles`,
    '    from: user.app_metadata.roles',
    '    when: is_array(value)',
  );
  if (send) {
    lines.push(
      'sends:',
      `  - system: ${sys(i)}`,
      '    method: PUT',
      `    path: /contacts/${id}/{{user.user_id}}`,
      '    when: hours_since(user.updated_at) < 1',
      '    body:',
      '      email: lower(user.email)',
      '      first_name: user.given_name',
      '      last_name: user.family_name',
      '      source: { value: auth0 }',
    );
  }
  if (rules) {
    lines.push(
      'access:',
      `  - when: exists(client.metadata.${id}_required) && coalesce(lower(${src}.tier), user.app_metadata.${id}_tier) != client.metadata.${id}_required`,
      '    deny: Your plan does not include this application.',
      `  - when: user.app_metadata.${id}_tier == 'trial' && days_since(user.created_at) > 30`,
      '    redirect: { url: https://bench.example/upgrade }',
    );
  }
  return { id, text: lines.join('\n') + '\n' };
}

/** A synthetic project of `n` specs in `<dir>/mappings` (10 specs per Action). */
function writeScalingProject(dir, n) {
  const out = path.join(dir, 'mappings');
  fs.mkdirSync(out, { recursive: true });
  const systems = [];
  for (let s = 0; s < SCALING_SYSTEMS; s++) {
    systems.push(`  sys${s}:\n    base_url: https://sys${s}.bench.example/api\n    auth: { bearer: SYS${s}_API_KEY }\n    owner: team-bench`);
  }
  fs.writeFileSync(
    path.join(out, 'mapc.yaml'),
    `version: 1\nclaims_namespace: https://bench.example/\ndefaults:\n  timeout: 2s\n  deadline: 8s\n  retries: 0\n  on_error: continue\nsystems:\n${systems.join('\n')}\n`,
  );
  for (let i = 0; i < n; i++) {
    const { id, text } = scalingSpec(i);
    fs.writeFileSync(path.join(out, `${id}.yaml`), text);
  }
  return out;
}

module.exports = { ROOT, SAMPLE_SUBSET, writeSampleSubset, writeLatencyProject, latencyBase, writeScalingProject, SPECS_PER_ACTION };
