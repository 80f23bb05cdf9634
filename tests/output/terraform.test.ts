/**
 * `mapc build --target terraform` (#19 item 5, compiler/output/terraform.ts): main.tf.json, a
 * Terraform module for the auth0/auth0 provider, beside the Actions' code.js and the manifest.
 *
 * The module is checked against the provider's resource schemas, written down below as a small
 * table from the provider's source; against itself (every reference declared, every file there);
 * and, when `terraform` is on PATH, by Terraform itself for everything that needs no provider
 * (the JSON syntax, the variable blocks, the file() expressions, the escapes of user strings).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTerraform, renderTerraformOutput } from '../../compiler/output/index';
import { compileOrThrow, REPO, tempProject } from '../helpers/compiled';

const BIN = path.join(REPO, 'bin', 'mapc.js');
const EXTERNAL = path.join(REPO, 'tests', 'deploy', 'fixtures', 'external');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-terraform-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  if (fs.existsSync(path.join(REPO, 'dist', 'mapc.js'))) return;
  const built = spawnSync('npm', ['run', '-s', 'build:ts'], { cwd: REPO, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build:ts failed:\n${built.stdout}${built.stderr}`);
});

/** `mapc <argv>` as a process (the CLI is what is tested here). */
function mapc(argv: string[], cwd = REPO) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MAPC_NO_CACHE: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `dir`, relative with `/`, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, rel ? `${rel}/${e.name}` : e.name) : [rel ? `${rel}/${e.name}` : e.name]))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// The provider's schemas, as far as mapc uses them, from github.com/auth0/terraform-provider-auth0
// (v1.x; `secrets_wo`/`secrets_wo_version` since v1.52.0, PR #1541):
//   auth0_action           internal/auth0/action/resource.go, NewResource() (docs/resources/action.md)
//   auth0_trigger_actions  internal/auth0/action/resource_trigger_actions.go (docs/resources/trigger_actions.md)
//   data auth0_action      internal/auth0/action/data_source.go (the resource's schema, all computed,
//                          with `id` and `name` optional, AtLeastOneOf id/name)
// and Terraform's own blocks (developer.hashicorp.com/terraform/language/values/variables,
// .../terraform/language/terraform, .../syntax/json). "computed" = read-only: set by the provider.
// ---------------------------------------------------------------------------------------------

type Scalar = 'string' | 'bool' | 'number';
interface Attr {
  readonly type: Scalar | 'type-expression' | 'any';
  readonly required?: boolean;
  readonly computed?: boolean;
  readonly writeOnly?: boolean;
  readonly oneOf?: readonly string[];
}
interface Block {
  readonly attrs: Readonly<Record<string, Attr>>;
  readonly blocks?: Readonly<Record<string, NestedBlock>>;
  /** [a, b]: when a is set, b must be too. */
  readonly requiredWith?: readonly (readonly [string, string])[];
  readonly conflicts?: readonly (readonly [string, string])[];
  readonly atLeastOneOf?: readonly string[];
}
interface NestedBlock extends Block {
  readonly nesting: 'list' | 'set' | 'single';
  readonly required?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
}

const RUNTIMES = ['node12', 'node16', 'node18', 'node22'];
const TRIGGERS = [
  'post-login',
  'credentials-exchange',
  'pre-user-registration',
  'post-user-registration',
  'post-change-password',
  'send-phone-message',
  'password-reset-post-challenge',
  'iga-approval',
  'iga-certification',
  'iga-fulfillment-assignment',
  'iga-fulfillment-execution',
];

const AUTH0_ACTION: Block = {
  attrs: {
    name: { type: 'string', required: true },
    code: { type: 'string', required: true },
    runtime: { type: 'string', oneOf: RUNTIMES },
    deploy: { type: 'bool' },
    secrets_wo_version: { type: 'number' },
    id: { type: 'string', computed: true },
    version_id: { type: 'string', computed: true },
  },
  blocks: {
    supported_triggers: {
      nesting: 'list',
      required: true,
      minItems: 1,
      maxItems: 1,
      attrs: { id: { type: 'string', required: true }, version: { type: 'string', required: true } },
    },
    dependencies: { nesting: 'set', attrs: { name: { type: 'string', required: true }, version: { type: 'string', required: true } } },
    modules: {
      nesting: 'set',
      attrs: {
        module_id: { type: 'string', required: true },
        module_version_id: { type: 'string', required: true },
        module_name: { type: 'string', computed: true },
        module_version_number: { type: 'number', computed: true },
      },
    },
    secrets: { nesting: 'set', attrs: { name: { type: 'string', required: true }, value: { type: 'string', required: true } } },
    secrets_wo: { nesting: 'list', attrs: { name: { type: 'string', required: true }, value: { type: 'string', required: true, writeOnly: true } } },
    timeouts: { nesting: 'single', attrs: { create: { type: 'string' } } },
  },
  requiredWith: [
    ['secrets_wo', 'secrets_wo_version'],
    ['secrets_wo_version', 'secrets_wo'],
  ],
  conflicts: [['secrets_wo', 'secrets']],
};

const AUTH0_TRIGGER_ACTIONS: Block = {
  attrs: { trigger: { type: 'string', required: true, oneOf: TRIGGERS }, id: { type: 'string', computed: true } },
  blocks: {
    actions: {
      nesting: 'list',
      required: true,
      minItems: 1,
      attrs: { id: { type: 'string', required: true }, display_name: { type: 'string', required: true } },
    },
  },
};

/** The data source: what mapc may set (the rest is the resource's schema, all computed). */
const DATA_AUTH0_ACTION: Block = {
  attrs: { id: { type: 'string' }, name: { type: 'string' } },
  atLeastOneOf: ['id', 'name'],
};

const VARIABLE: Block = {
  attrs: {
    type: { type: 'type-expression' },
    default: { type: 'any' },
    description: { type: 'string' },
    sensitive: { type: 'bool' },
    ephemeral: { type: 'bool' },
    nullable: { type: 'bool' },
  },
  blocks: { validation: { nesting: 'list', attrs: { condition: { type: 'any', required: true }, error_message: { type: 'string', required: true } } } },
};

const TERRAFORM_BLOCK: Block = {
  attrs: { required_version: { type: 'string' }, required_providers: { type: 'any' } },
};

/** A whole `${ ... }` expression (its type is known only to Terraform; accepted for any scalar). */
const isExpression = (v: unknown): boolean => typeof v === 'string' && /^\$\{.*\}$/s.test(v);

/** The problems of `value` as a body of `block`, each with its path. Empty when it fits. */
function schemaErrors(block: Block, value: unknown, at: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(v)) {
    if (key === '//') continue; // Terraform's JSON comment property
    const attr = block.attrs[key];
    const nested = block.blocks?.[key];
    if (!attr && !nested) errors.push(`${at}.${key}: not in the schema`);
    if (attr?.computed) errors.push(`${at}.${key}: read-only (computed), must not be set`);
    if (attr && !attr.computed) errors.push(...scalarErrors(attr, v[key], `${at}.${key}`));
    if (nested) {
      const items = nested.nesting === 'single' ? [v[key]] : Array.isArray(v[key]) ? (v[key] as unknown[]) : [v[key]];
      if (nested.minItems !== undefined && items.length < nested.minItems) errors.push(`${at}.${key}: fewer than ${nested.minItems} block(s)`);
      if (nested.maxItems !== undefined && items.length > nested.maxItems) errors.push(`${at}.${key}: more than ${nested.maxItems} block(s)`);
      items.forEach((item, i) => errors.push(...schemaErrors(nested, item, `${at}.${key}[${i}]`)));
    }
  }
  for (const [key, attr] of Object.entries(block.attrs)) if (attr.required && !(key in v)) errors.push(`${at}.${key}: required, missing`);
  for (const [key, nested] of Object.entries(block.blocks ?? {})) if (nested.required && !(key in v)) errors.push(`${at}.${key}: required block, missing`);
  for (const [a, b] of block.requiredWith ?? []) if (a in v && !(b in v)) errors.push(`${at}.${a}: requires ${b}`);
  for (const [a, b] of block.conflicts ?? []) if (a in v && b in v) errors.push(`${at}.${a}: conflicts with ${b}`);
  if (block.atLeastOneOf && !block.atLeastOneOf.some((k) => k in v)) errors.push(`${at}: needs one of ${block.atLeastOneOf.join(', ')}`);
  return errors;
}

function scalarErrors(attr: Attr, v: unknown, at: string): string[] {
  if (attr.type === 'any') return [];
  if (attr.type === 'type-expression') return typeof v === 'string' && /^(string|number|bool|any)$/.test(v) ? [] : [`${at}: not a primitive type expression`];
  if (isExpression(v)) return [];
  const ok = attr.type === 'string' ? typeof v === 'string' : attr.type === 'bool' ? typeof v === 'boolean' : typeof v === 'number';
  if (!ok) return [`${at}: not a ${attr.type}`];
  if (attr.oneOf && !attr.oneOf.includes(v as string)) return [`${at}: ${JSON.stringify(v)} is not one of ${attr.oneOf.join(', ')}`];
  return [];
}

interface TfDoc {
  readonly '//'?: string;
  readonly terraform: Record<string, unknown>;
  readonly variable: Record<string, Record<string, unknown>>;
  readonly data?: { auth0_action: Record<string, { name: string }> };
  readonly resource?: {
    auth0_action?: Record<string, Record<string, unknown> & { name: string; code: string; secrets_wo?: { name: string; value: string }[] }>;
    auth0_trigger_actions?: Record<string, { trigger: string; actions: { id: string; display_name: string }[] }>;
  };
}

/** Every problem of a main.tf.json against the table above (top-level block types included). */
function moduleErrors(doc: TfDoc): string[] {
  const errors: string[] = [];
  const top = ['//', 'terraform', 'variable', 'data', 'resource'];
  for (const k of Object.keys(doc)) if (!top.includes(k)) errors.push(`${k}: not a block type mapc should write`);
  errors.push(...schemaErrors(TERRAFORM_BLOCK, doc.terraform, 'terraform'));
  for (const [name, v] of Object.entries(doc.variable ?? {})) errors.push(...schemaErrors(VARIABLE, v, `variable.${name}`));
  for (const [type, blocks] of Object.entries(doc.data ?? {})) {
    if (type !== 'auth0_action') errors.push(`data.${type}: unknown data source`);
    else for (const [name, v] of Object.entries(blocks)) errors.push(...schemaErrors(DATA_AUTH0_ACTION, v, `data.${type}.${name}`));
  }
  const schemas: Record<string, Block> = { auth0_action: AUTH0_ACTION, auth0_trigger_actions: AUTH0_TRIGGER_ACTIONS };
  for (const [type, blocks] of Object.entries(doc.resource ?? {})) {
    const schema = schemas[type];
    if (!schema) errors.push(`resource.${type}: unknown resource type`);
    else for (const [name, v] of Object.entries(blocks as Record<string, unknown>)) errors.push(...schemaErrors(schema, v, `resource.${type}.${name}`));
  }
  // Identifiers: valid Terraform names (mapc makes ASCII ones).
  const ids = [...Object.keys(doc.variable ?? {}), ...Object.keys(doc.data?.auth0_action ?? {}), ...Object.values(doc.resource ?? {}).flatMap((b) => Object.keys(b as object))];
  for (const id of ids) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) errors.push(`${id}: not a Terraform identifier`);
  for (const v of ['count', 'for_each', 'source', 'version', 'providers', 'depends_on', 'lifecycle', 'locals']) if (v in (doc.variable ?? {})) errors.push(`variable.${v}: a reserved name`);
  return errors;
}

/** Every string in `v` (deep). */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v !== null && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

/** The references inside `${...}` of every string: what each names must be declared in the module. */
function referenceErrors(doc: TfDoc, outDir: string): string[] {
  const errors: string[] = [];
  const body = { ...doc, '//': undefined };
  for (const s of strings(body)) {
    // A `$${` is an escaped literal; only `${` not preceded by `$` starts an expression.
    for (const m of s.matchAll(/(?<!\$)\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
      const e = m[1]!;
      const file = /^file\("\$\{path\.module\}\/([^"]+)"\)$/.exec(e);
      if (file) {
        if (!fs.existsSync(path.join(outDir, file[1]!))) errors.push(`${e}: no such file in the module`);
        continue;
      }
      const ref = /^(var\.([A-Za-z_][A-Za-z0-9_]*)|data\.auth0_action\.([A-Za-z0-9_]+)\.id|auth0_action\.([A-Za-z0-9_]+)\.id)$/.exec(e);
      if (!ref) errors.push(`${e}: an expression mapc should not write`);
      else if (ref[2] && !(ref[2] in doc.variable)) errors.push(`${e}: undeclared variable`);
      else if (ref[3] && !(ref[3] in (doc.data?.auth0_action ?? {}))) errors.push(`${e}: undeclared data source`);
      else if (ref[4] && !(ref[4] in (doc.resource?.auth0_action ?? {}))) errors.push(`${e}: undeclared resource`);
    }
  }
  return errors;
}

const readDoc = (dir: string): TfDoc => JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8')) as TfDoc;

describe('the schema table itself', () => {
  it('finds unknown, read-only, missing, mistyped and conflicting fields (it can fail)', () => {
    const good = { name: 'a', code: 'x', supported_triggers: [{ id: 'post-login', version: 'v3' }] };
    expect(schemaErrors(AUTH0_ACTION, good, 'r')).toEqual([]);
    expect(schemaErrors(AUTH0_ACTION, { ...good, deployed: true }, 'r')).toEqual(['r.deployed: not in the schema']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, version_id: 'v' }, 'r')).toEqual(['r.version_id: read-only (computed), must not be set']);
    expect(schemaErrors(AUTH0_ACTION, { name: 'a', supported_triggers: good.supported_triggers }, 'r')).toEqual(['r.code: required, missing']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, deploy: 'yes' }, 'r')).toEqual(['r.deploy: not a bool']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, runtime: 'node20' }, 'r')).toEqual(['r.runtime: "node20" is not one of node12, node16, node18, node22']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, supported_triggers: [...good.supported_triggers, ...good.supported_triggers] }, 'r')).toEqual(['r.supported_triggers: more than 1 block(s)']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, secrets_wo: [{ name: 'A', value: 'v' }] }, 'r')).toEqual(['r.secrets_wo: requires secrets_wo_version']);
    expect(schemaErrors(AUTH0_ACTION, { ...good, secrets_wo: [{ name: 'A', value: 'v' }], secrets_wo_version: 1, secrets: [{ name: 'A', value: 'v' }] }, 'r')).toEqual([
      'r.secrets_wo: conflicts with secrets',
    ]);
    expect(schemaErrors(AUTH0_TRIGGER_ACTIONS, { trigger: 'post-login', actions: [] }, 't')).toEqual(['t.actions: fewer than 1 block(s)']);
    expect(schemaErrors(AUTH0_TRIGGER_ACTIONS, { trigger: 'post-login', actions: [{ id: 'x' }] }, 't')).toEqual(['t.actions[0].display_name: required, missing']);
    expect(schemaErrors(DATA_AUTH0_ACTION, {}, 'd')).toEqual(['d: needs one of id, name']);
  });
});

describe('mapc build --target terraform (the sample organisation)', () => {
  const out = path.join(work, 'sample');
  let build: ReturnType<typeof mapc>;
  beforeAll(() => {
    build = mapc(['build', '-p', 'mappings', '-o', out, '--target', 'terraform']);
  });

  it('writes main.tf.json beside the same code.js files and manifest, and no tenant.yaml', async () => {
    expect(build).toMatchObject({ code: 0, stderr: `mapc: wrote 3 Action(s) to ${out}/\n` });
    const compiled = await compileOrThrow('mappings');
    const deployCli = [...compiled.files.keys()].filter((f) => f !== 'tenant.yaml');
    expect(listFiles(out)).toEqual([...deployCli, 'main.tf.json'].sort());
    for (const f of deployCli) expect(fs.readFileSync(path.join(out, f), 'utf8'), f).toBe(compiled.files.get(f));
  });

  it('fits the provider’s schemas, references only what it declares, and reads files that are there', () => {
    const doc = readDoc(out);
    expect(moduleErrors(doc)).toEqual([]);
    expect(referenceErrors(doc, out)).toEqual([]);
    expect(doc.terraform).toEqual({ required_providers: { auth0: { source: 'auth0/auth0', version: '>= 1.52.0, < 2.0.0' } }, required_version: '>= 1.11' });
  });

  it('has one auth0_action per Action with its code file, runtime, trigger and deploy = true', async () => {
    const { program } = await compileOrThrow('mappings');
    const actions = readDoc(out).resource!.auth0_action!;
    expect(Object.keys(actions)).toEqual(['mapc_post_login', 'mapc_post_user_registration', 'mapc_pre_user_registration']);
    for (const a of program.actions) {
      const r = actions[a.name.replace(/-/g, '_')]!;
      expect(r).toMatchObject({ name: a.name, runtime: a.runtime, deploy: true, supported_triggers: [{ id: a.trigger, version: a.triggerVersion }] });
      expect(r.code).toBe(`\${file("\${path.module}/actions/${a.name}/code.js")}`);
    }
  });

  it('feeds each secret from a sensitive, ephemeral variable without default, and rotates with mapc_secrets_version', async () => {
    const { program } = await compileOrThrow('mappings');
    const doc = readDoc(out);
    const names = [...new Set(program.actions.flatMap((a) => a.secrets))].sort();
    expect(names.length).toBeGreaterThan(0);
    expect(Object.keys(doc.variable)).toEqual(['mapc_secrets_version', ...names.map((n) => `secret_${n}`)]);
    expect(doc.variable['mapc_secrets_version']).toMatchObject({ type: 'number', default: 1 });
    for (const n of names) {
      const v = doc.variable[`secret_${n}`]!;
      expect(v).toMatchObject({ type: 'string', sensitive: true, ephemeral: true, nullable: false });
      expect(v).not.toHaveProperty('default');
    }
    for (const a of program.actions) {
      const r = doc.resource!.auth0_action![a.name.replace(/-/g, '_')]!;
      expect(r).not.toHaveProperty('secrets'); // the block whose values Terraform keeps in the state
      if (a.secrets.length === 0) {
        expect(r).not.toHaveProperty('secrets_wo');
        expect(r).not.toHaveProperty('secrets_wo_version');
        continue;
      }
      expect(r.secrets_wo).toEqual(a.secrets.map((s) => ({ name: s, value: `\${var.secret_${s}}` })));
      expect(r['secrets_wo_version']).toBe('${var.mapc_secrets_version}');
    }
  });

  it('binds each trigger in the order of the Deploy CLI output', async () => {
    const { program } = await compileOrThrow('mappings');
    const triggers = readDoc(out).resource!.auth0_trigger_actions!;
    // One resource per bound trigger (keys sorted; the order of resources means nothing to Terraform), each list in binding order.
    expect(Object.fromEntries(Object.values(triggers).map((t) => [t.trigger, t.actions.map((x) => x.display_name)]))).toEqual(
      Object.fromEntries(program.bindings.map((b) => [b.trigger, b.actions])),
    );
    expect(Object.keys(triggers)).toEqual(program.bindings.map((b) => b.trigger.replace(/-/g, '_')).sort());
    expect(triggers['post_login']!.actions).toEqual([{ id: '${auth0_action.mapc_post_login.id}', display_name: 'mapc-post-login' }]);
  });

  it('is the same bytes on every build: sorted keys, 2-space JSON, a trailing newline', async () => {
    const again = path.join(work, 'sample-again');
    expect(mapc(['build', '-p', 'mappings', '-o', again, '--target', 'terraform']).code).toBe(0);
    for (const f of listFiles(out)) expect(fs.readFileSync(path.join(again, f), 'utf8'), f).toBe(fs.readFileSync(path.join(out, f), 'utf8'));
    const text = fs.readFileSync(path.join(out, 'main.tf.json'), 'utf8');
    const sortedDeep = (v: unknown): boolean =>
      Array.isArray(v) ? v.every(sortedDeep) : v !== null && typeof v === 'object' ? Object.keys(v).join('\0') === Object.keys(v).sort().join('\0') && Object.values(v).every(sortedDeep) : true;
    expect(sortedDeep(JSON.parse(text))).toBe(true);
    expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + '\n');
    const compiled = await compileOrThrow('mappings');
    expect(renderTerraformOutput(compiled.program, compiled.code, compiled.loaded).get('main.tf.json')).toBe(text);
  });

  it('mapc check --target terraform passes, then catches drift in main.tf.json; the default check does not take it for its own', () => {
    expect(mapc(['check', '-p', 'mappings', '-o', out, '--target', 'terraform'])).toMatchObject({ code: 0, stderr: `mapc: ${out}/ is up to date.\n` });
    const file = path.join(out, 'main.tf.json');
    const good = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, good.replace('"deploy": true', '"deploy": false'));
      const drift = mapc(['check', '-p', 'mappings', '-o', out, '--target', 'terraform']);
      expect(drift.code).toBe(1);
      expect(drift.stderr).toContain(`error MAPC0805: ${out}/main.tf.json differs from a fresh build`);
      expect(drift.stderr).toContain(`--target terraform\` and commit the result`);
    } finally {
      fs.writeFileSync(file, good);
    }
    // Checked without the flag it was built with: one diagnostic naming the flag, not a drift per file.
    const other = mapc(['check', '-p', 'mappings', '-o', out]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`error MAPC0805: ${out}/ holds a Terraform build (main.tf.json), and this check compares a Deploy CLI build in the YAML layout (tenant.yaml)`);
    expect(other.stderr).toContain(`\`npx mapc check -o ${out} --target terraform\``);
    expect(other.stderr).not.toContain('is missing');
    const layout = mapc(['check', '-p', 'mappings', '-o', out, '--layout', 'directory']);
    expect(layout.code).toBe(1);
    expect(layout.stderr).toContain('holds a Terraform build (main.tf.json), and this check compares a Deploy CLI build in the directory layout');
    // A folder with neither file is drift as before.
    const bare = path.join(work, 'bare');
    fs.mkdirSync(bare, { recursive: true });
    const empty = mapc(['check', '-p', 'mappings', '-o', bare]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`${bare}/tenant.yaml is missing`);
  });

  it('never holds a secret value: only names', () => {
    const secret = 'tf-secret-value-9f8e7d';
    const dir = tempProject({
      'mappings/mapc.yaml': `version: 1
systems:
  crm: { base_url: 'https://crm.example', auth: { bearer: CRM_API_KEY } }
tests:
  defaults:
    secrets: { CRM_API_KEY: ${secret} }
`,
      'mappings/crm.yaml': `version: 1
name: crm
owner: team-a
trigger: post-user-registration
sends:
  - system: crm
    method: POST
    path: /contacts
    body: { external_id: user.user_id }
    on_error: continue
`,
      'mappings/crm.test.yaml': `spec: crm
cases:
  - name: the key is sent
    event: { user: { user_id: u1 } }
    systems: { crm: [{ method: POST, path: /contacts, status: 201, body: {} }] }
    expect:
      requests:
        - { system: crm, method: POST, path: /contacts, headers: { authorization: Bearer ${secret} } }
`,
    });
    expect(mapc(['test'], dir)).toMatchObject({ code: 0 }); // the value is really the project's
    expect(mapc(['build', '--target', 'terraform'], dir)).toMatchObject({ code: 0 });
    const doc = readDoc(path.join(dir, 'generated'));
    expect(doc.resource!.auth0_action!['mapc_post_user_registration']!.secrets_wo).toEqual([{ name: 'CRM_API_KEY', value: '${var.secret_CRM_API_KEY}' }]);
    for (const f of listFiles(path.join(dir, 'generated'))) expect(fs.readFileSync(path.join(dir, 'generated', f), 'utf8'), f).not.toContain(secret);
  });

  it('refuses --layout directory with --target terraform (a usage error), and --help names the option', () => {
    expect(mapc(['build', '-p', 'mappings', '-o', path.join(work, 'none'), '--target', 'terraform', '--layout', 'directory'])).toMatchObject({ code: 2 });
    expect(fs.existsSync(path.join(work, 'none'))).toBe(false);
    for (const cmd of ['build', 'check']) {
      expect(mapc([cmd, '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/--target <target> .*\(choices: "deploy-cli", "terraform", default: "deploy-cli"\)/);
    }
  });
});

describe('external Actions', () => {
  const out = path.join(work, 'external');
  beforeAll(() => {
    expect(mapc(['build', '-p', EXTERNAL, '-o', out, '--target', 'terraform'])).toMatchObject({ code: 0 });
  });

  it('are read by name with data "auth0_action" and bound before and after mapc’s Actions in the declared order', () => {
    const doc = readDoc(out);
    expect(moduleErrors(doc)).toEqual([]);
    expect(referenceErrors(doc, out)).toEqual([]);
    expect(doc.data).toEqual({
      auth0_action: { audit_log: { name: 'audit-log' }, fraud_screen: { name: 'fraud-screen' }, geo_block: { name: 'geo-block' }, welcome_email: { name: 'welcome-email' } },
    });
    expect(doc.resource!.auth0_trigger_actions).toEqual({
      post_login: {
        trigger: 'post-login',
        actions: [
          { id: '${data.auth0_action.fraud_screen.id}', display_name: 'fraud-screen' },
          { id: '${data.auth0_action.geo_block.id}', display_name: 'geo-block' },
          { id: '${auth0_action.mapc_post_login.id}', display_name: 'mapc-post-login' },
          { id: '${data.auth0_action.audit_log.id}', display_name: 'audit-log' },
        ],
      },
      post_user_registration: {
        trigger: 'post-user-registration',
        actions: [
          { id: '${auth0_action.mapc_post_user_registration.id}', display_name: 'mapc-post-user-registration' },
          { id: '${data.auth0_action.welcome_email.id}', display_name: 'welcome-email' },
        ],
      },
    });
    // Only mapc's own Actions are resources: Terraform never creates, changes or deletes the others.
    expect(Object.keys(doc.resource!.auth0_action!)).toEqual(['mapc_post_login', 'mapc_post_user_registration']);
  });
});

/** Names of external Actions are any text: these must stay text, and identifiers must stay apart. */
const HOSTILE = ['Legacy ${var.x} %{if true}y%{endif} $${z} 100% "q" \\ done', 'geo-block', 'geo_block', '42 Ünïcode', 'x'.repeat(80)];

describe('user strings', () => {
  const project = () => {
    const base = fs.readFileSync(path.join(EXTERNAL, 'mapc.yaml'), 'utf8');
    const extra = HOSTILE.map((n) => `  - { name: ${JSON.stringify(n)}, trigger: post-user-registration, position: before }\n`).join('');
    const dir = tempProject({ 'mappings/mapc.yaml': base.trimEnd() + '\n' + extra });
    for (const f of fs.readdirSync(EXTERNAL)) if (f !== 'mapc.yaml') fs.copyFileSync(path.join(EXTERNAL, f), path.join(dir, 'mappings', f));
    return dir;
  };

  it('are escaped for Terraform’s templates and get distinct, valid identifiers', async () => {
    const compiled = await compileOrThrow(path.join(project(), 'mappings'));
    const doc = JSON.parse(renderTerraform(compiled.program)) as TfDoc;
    expect(moduleErrors(doc)).toEqual([]);
    const data = doc.data!.auth0_action;
    const byName = new Map(Object.entries(data).map(([id, d]) => [d.name, id]));
    expect(byName.get('Legacy $${var.x} %%{if true}y%%{endif} $$${z} 100% "q" \\ done')).toMatch(/^legacy_var_x_if_true_y_endif_z_100_q_done_[0-9a-f]{8}$/);
    // Two names that would meet both get their hash; a name that is already an identifier-like kebab keeps it.
    expect(byName.get('geo-block')).toMatch(/^geo_block_[0-9a-f]{8}$/);
    expect(byName.get('geo_block')).toMatch(/^geo_block_[0-9a-f]{8}$/);
    expect(byName.get('geo-block')).not.toBe(byName.get('geo_block'));
    expect(byName.get('42 Ünïcode')).toMatch(/^action_42_n_code_[0-9a-f]{8}$/);
    expect(byName.get('x'.repeat(80))).toBe(`${'x'.repeat(48)}_${byName.get('x'.repeat(80))!.slice(-8)}`);
    expect(byName.get('fraud-screen')).toBe('fraud_screen');
    const order = doc.resource!.auth0_trigger_actions!['post_user_registration']!.actions.map((a) => a.display_name);
    expect(order.slice(0, HOSTILE.length)).toEqual(HOSTILE.map((n) => n.replace(/([$%])\{/g, '$1$1{')));
  });

  it.skipIf(spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0)(
    'read back by Terraform itself: the names, the code files and the variables (everything that needs no provider)',
    async () => {
      const dir = project();
      expect(mapc(['build', '--target', 'terraform'], dir)).toMatchObject({ code: 0 });
      const gen = path.join(dir, 'generated');
      const doc = readDoc(gen);
      // A root module without the provider: Terraform's JSON syntax, version constraint, variable
      // blocks and the file() and literal strings of the module, as outputs.
      const output: Record<string, { value: unknown }> = {};
      for (const [id, d] of Object.entries(doc.data!.auth0_action)) output[`data_${id}`] = { value: d.name };
      for (const [id, r] of Object.entries(doc.resource!.auth0_action!)) output[`code_${id}`] = { value: r.code };
      for (const [id, t] of Object.entries(doc.resource!.auth0_trigger_actions!)) output[`names_${id}`] = { value: t.actions.map((a) => a.display_name) };
      const core = path.join(dir, 'core');
      fs.mkdirSync(core);
      fs.cpSync(path.join(gen, 'actions'), path.join(core, 'actions'), { recursive: true });
      fs.writeFileSync(path.join(core, 'main.tf.json'), JSON.stringify({ '//': doc['//'], terraform: { required_version: doc.terraform['required_version'] }, variable: doc.variable, output }));
      const tf = (...args: string[]) => {
        const r = spawnSync('terraform', [`-chdir=${core}`, ...args], { encoding: 'utf8', env: { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
        if (r.status !== 0) throw new Error(`terraform ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
        return r.stdout;
      };
      tf('init', '-input=false', '-no-color');
      const vars = Object.keys(doc.variable).filter((v) => v.startsWith('secret_')).flatMap((v) => ['-var', `${v}=unused`]);
      tf('apply', '-auto-approve', '-input=false', '-no-color', ...vars);
      const values = JSON.parse(tf('output', '-json')) as Record<string, { value: unknown }>;
      const compiled = await compileOrThrow(path.join(dir, 'mappings'));
      const names = new Set(Object.values(values).filter((v) => typeof v.value === 'string').map((v) => v.value));
      for (const n of HOSTILE) expect(names.has(n), n).toBe(true);
      expect(values['names_post_user_registration']!.value).toEqual(compiled.program.bindings.find((b) => b.trigger === 'post-user-registration')!.actions);
      for (const a of compiled.program.actions) expect(values[`code_${a.name.replace(/-/g, '_')}`]!.value).toBe(compiled.code.get(a.name));
    },
    120_000,
  );
});

describe('docs/deploy.md', () => {
  it('shows both deploy paths, and its root module passes every variable of the sample module', async () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'deploy.md'), 'utf8');
    expect(doc).toContain('npx a0deploy import');
    expect(doc).toContain('npx mapc build --target terraform');
    const root = /```hcl\n([\s\S]*?module "mapc"[\s\S]*?)```/.exec(doc)?.[1];
    expect(root, 'an hcl block with module "mapc"').toBeDefined();
    const passed = [...root!.matchAll(/^\s+(secret_[A-Za-z0-9_]+|mapc_secrets_version)\s*=/gm)].map((m) => m[1]).sort();
    const compiled = await compileOrThrow('mappings');
    expect(passed).toEqual(Object.keys((JSON.parse(renderTerraform(compiled.program)) as TfDoc).variable).sort());
  });
});
