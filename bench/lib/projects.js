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
/**
 * Auth0 binds at most 20 Actions to a trigger and each Action holds at most 100 kB, so 1,000
 * specs of this size (about 3.7 kB of plan each) only fit spread over all five triggers:
 * Action a (10 specs) goes to SCALING_TRIGGERS[a % 5], 20 Actions per trigger at 1,000 specs.
 */
const SCALING_TRIGGERS = ['post-login', 'pre-user-registration', 'credentials-exchange', 'post-user-registration', 'post-change-password'];

/** A body of `n` mapped keys (plus a literal) for the send-only triggers. */
function sendBody(id, paths) {
  return ['    body:', ...paths.map((p, k) => `      k${k}: ${p}`), `      source: { value: ${id} }`];
}

/**
 * One synthetic spec of about 10 fields: on post-login, pre-user-registration and
 * credentials-exchange, 10 fields (metadata or claims, with transforms and conditions); on
 * the two triggers that can write neither metadata nor claims, 10 body keys of sends. A
 * lookup every 2nd spec, a send every 3rd, access rules every 4th (where the trigger allows).
 */
function scalingSpec(i) {
  const id = `s${String(i).padStart(4, '0')}`;
  const a = Math.floor(i / SPECS_PER_ACTION);
  const trigger = SCALING_TRIGGERS[a % SCALING_TRIGGERS.length];
  const lookup = i % 2 === 0;
  const send = i % 3 === 0;
  const rules = i % 4 === 0;
  const sys = (n) => `sys${Math.floor(n) % SCALING_SYSTEMS}`;
  const lines = [
    'version: 1',
    `name: ${id}`,
    `owner: team-${i % 7}`,
    `trigger: ${trigger}`,
    `action: bench-${String(a).padStart(3, '0')}`,
    `description: Synthetic ${trigger} spec ${i} for the build-scaling benchmark.`,
  ];
  const lookupLines = (key, when) => [
    'lookups:',
    '  profile:',
    `    system: ${sys(i / 2)}`,
    '    method: GET',
    `    path: /profiles/${id}/{{${key}}}`,
    ...(when ? [`    when: ${when}`] : []),
  ];
  if (trigger === 'post-login') {
    const src = lookup ? 'profile' : 'user.app_metadata';
    if (lookup) lines.push(...lookupLines('user.user_id', `hours_since(user.app_metadata.${id}_synced) > 24 || !exists(user.app_metadata.${id}_tier)`));
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
      lines.push('sends:', `  - system: ${sys(i)}`, '    method: PUT', `    path: /contacts/${id}/{{user.user_id}}`, '    when: hours_since(user.updated_at) < 1');
      lines.push(...sendBody(id, ['lower(user.email)', 'user.given_name', 'user.family_name']));
    }
    if (rules) {
      lines.push(
        'access:',
        `  - when: exists(client.metadata.${id}_required) && coalesce(lower(${src}.tier), user.app_metadata.${id}_tier) != client.metadata.${id}_required`,
        '    deny: Your plan does not include this application.',
        `  - when: user.app_metadata.${id}_tier == 'trial' && days_since(user.created_at) > 30`,
        // A signed round trip (#12): several redirecting specs share an Action.
        `    redirect: { url: https://bench.example/upgrade, token: { secret: BENCH_TOKEN_SECRET, parameter: ${id}_token, payload: { tier: user.app_metadata.${id}_tier } } }`,
        'continue:',
        `  parameter: ${id}_token`,
        '  access:',
        "    - when: continue.tier == 'trial'",
        '      deny: Your trial has ended.',
      );
    }
  } else if (trigger === 'pre-user-registration') {
    const src = lookup ? 'profile' : 'user.app_metadata';
    if (lookup) lines.push(...lookupLines('user.email', 'exists(user.email)'));
    lines.push('fields:');
    const exprs = [
      `lower(${src}.tier)`,
      `trim(${src}.status)`,
      'email_domain(user.email)',
      `to_int(${src}.count)`,
      `coalesce(${src}.region, request.geoip.countryCode)`,
      'lower(request.geoip.countryCode)',
      'request.language',
      'concat(user.given_name, \' \', user.family_name)',
      `coalesce(${src}.plan, 'free')`,
    ];
    exprs.forEach((e, k) => lines.push(`  - to: app_metadata.${id}_f${k}`, `    from: ${e}`));
    lines.push(`  - to: user_metadata.${id}_name`, '    from: { template: "{{user.given_name}} {{user.family_name}}" }');
    if (send) {
      lines.push('sends:', `  - system: ${sys(i)}`, '    method: POST', `    path: /signups/${id}`);
      lines.push(...sendBody(id, ['lower(user.email)', 'user.given_name', 'request.ip']));
    }
    if (rules) lines.push('access:', `  - when: email_domain(user.email) == '${id}.blocked.example'`, '    deny: Sign-ups from this domain are closed.');
  } else if (trigger === 'credentials-exchange') {
    const src = lookup ? 'profile' : 'client.metadata';
    if (lookup) lines.push(...lookupLines('client.client_id'));
    lines.push('fields:');
    const exprs = [
      `lower(${src}.tier)`,
      `trim(${src}.status)`,
      'client.name',
      `to_int(${src}.count)`,
      `coalesce(${src}.region, request.geoip.countryCode)`,
      'lower(request.geoip.countryCode)',
      'resource_server.identifier',
      'client.client_id',
      `coalesce(${src}.plan, 'free')`,
      'upper(client.metadata.tenant)',
    ];
    exprs.forEach((e, k) => lines.push(`  - to: access_token.${id}_c${k}`, `    from: ${e}`));
    if (send) {
      lines.push('sends:', `  - system: ${sys(i)}`, '    method: POST', `    path: /m2m/${id}`);
      lines.push(...sendBody(id, ['client.client_id', 'request.ip', 'resource_server.identifier']));
    }
    if (rules) lines.push('access:', `  - when: client.metadata.${id}_blocked == 'true'`, '    deny: This client is blocked.');
  } else {
    // post-user-registration / post-change-password: neither metadata nor claims, so the
    // spec's ten mapped values are the body keys of its sends.
    const paths =
      trigger === 'post-user-registration'
        ? ['user.user_id', 'lower(user.email)', 'user.given_name', 'user.family_name', 'user.name', 'request.ip']
        : ['user.user_id', 'lower(user.email)', 'user.username', 'user.phone_number', 'user.last_password_reset', 'request.ip'];
    if (lookup) lines.push(...lookupLines('user.user_id'));
    lines.push('sends:', `  - system: ${sys(i)}`, '    method: POST', `    path: /events/${id}/{{user.user_id}}`, `    idempotency_key: "{{user.user_id}}-${id}"`);
    lines.push(...sendBody(id, paths.slice(0, 5)));
    lines.push(`  - system: ${sys(i + 1)}`, '    method: PUT', `    path: /people/${id}/{{user.user_id}}`);
    lines.push(...sendBody(id, lookup ? ['profile.tier', ...paths.slice(1, 5)] : paths.slice(1, 6)));
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
  // Up to 20 Actions per trigger share Auth0's 20 s per trigger (MAPC0710): 900 ms each.
  fs.writeFileSync(
    path.join(out, 'mapc.yaml'),
    `version: 1\nclaims_namespace: https://bench.example/\ndefaults:\n  timeout: 400ms\n  deadline: 900ms\n  retries: 0\n  on_error: continue\nsystems:\n${systems.join('\n')}\n`,
  );
  for (let i = 0; i < n; i++) {
    const { id, text } = scalingSpec(i);
    fs.writeFileSync(path.join(out, `${id}.yaml`), text);
  }
  return out;
}

/**
 * A project of `n` typical post-login specs in one Action (`bench-typical`): the scaling
 * benchmark's post-login specs (about 10 fields, a lookup every 2nd spec, a send every 3rd,
 * access rules every 4th), for the "typical specs per Action within 100 kB" figure.
 */
function writeTypicalProject(dir, n) {
  const out = writeScalingProject(dir, 0);
  let written = 0;
  for (let i = 0; written < n; i++) {
    if (SCALING_TRIGGERS[Math.floor(i / SPECS_PER_ACTION) % SCALING_TRIGGERS.length] !== 'post-login') continue;
    const { id, text } = scalingSpec(i);
    fs.writeFileSync(path.join(out, `${id}.yaml`), text.replace(/^action: .*$/m, 'action: bench-typical'));
    written++;
  }
  return out;
}

module.exports = { ROOT, SCALING_TRIGGERS, scalingSpec, SAMPLE_SUBSET, writeSampleSubset, writeLatencyProject, latencyBase, writeScalingProject, writeTypicalProject, SPECS_PER_ACTION };
