/**
 * The Terraform target (`mapc build --target terraform`, docs/deploy.md "Deploy with
 * Terraform"): instead of tenant.yaml, `main.tf.json`, a Terraform module in JSON syntax for
 * the auth0/auth0 provider, beside the same `actions/<name>/code.js` and mapc-manifest.json:
 *
 *   terraform.required_version / required_providers.auth0   Terraform >= 1.11 (write-only
 *                                       arguments), provider >= 1.52.0 (auth0_action.secrets_wo)
 *   variable.secret_<NAME>              one per secret name any Action uses: string, sensitive,
 *                                       ephemeral, no default (a missing one fails the plan)
 *   variable.mapc_secrets_version       number, default 1: bump it to send new secret values
 *   data.auth0_action.<id>              each declared external Action, read by name
 *   resource.auth0_action.<id>          each mapc Action: code from its file, runtime, trigger,
 *                                       deploy = true, secrets_wo (names + variables only)
 *   resource.auth0_trigger_actions.<t>  each trigger with Actions, the list in binding order
 *
 * The bindings are `ProgramIR.bindings`, the order tenant.yaml uses (lowering made it: the
 * `before` external Actions, mapc's, the `after` ones). Identifiers are derived from names
 * deterministically (`tfIdentifier`), every user string is a JSON string (JSON.stringify) and
 * a Terraform literal (`literal`: in Terraform's JSON syntax every string is a template), and
 * secret values are never here. Keys sorted at every level, 2-space indent, trailing newline.
 */
import { compare, sortKeys } from '../order';
import type { LoadedProject } from '../model';
import type { ProgramIR } from '../ir';
import { codePath, renderOutputWith, sha256, type RenderInputs } from './render';

/** Where a build is deployed from: the Deploy CLI (tenant.yaml or its directory layout) or Terraform. */
export const TARGETS = ['deploy-cli', 'terraform'] as const;
export type Target = (typeof TARGETS)[number];

/** The module file of the Terraform target, at the top of the output folder. */
export const TERRAFORM_FILE = 'main.tf.json';

/** Terraform 1.11 is the first with write-only arguments (and 1.10 the first with ephemeral variables). */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.11';

/** auth0/auth0 1.52.0 added `secrets_wo`/`secrets_wo_version` (PR #1541); schemas checked are 1.x's. */
export const AUTH0_PROVIDER = { source: 'auth0/auth0', version: '>= 1.52.0, < 2.0.0' } as const;

/** The variable whose value is every Action's `secrets_wo_version`. */
export const SECRETS_VERSION_VARIABLE = 'mapc_secrets_version';

/** The variable holding secret `name` (a SECRET_NAME: letters, digits, `_`). The prefix keeps Terraform's reserved names (`version`, `count`, ...) out. */
export function secretVariable(name: string): string {
  const v = `secret_${name}`;
  if (!TF_IDENTIFIER.test(v)) throw new Error(`output: secret name ${JSON.stringify(name)} is not a Terraform identifier`);
  return v;
}

/** A Terraform identifier as mapc makes them (ASCII only; Terraform also allows `-` and Unicode letters). */
const TF_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The identifier of a mapc Action's `auth0_action` resource or a trigger's `auth0_trigger_actions`:
 * the kebab-case name with `_` for `-` (`mapc-post-login` → `mapc_post_login`). Action names
 * and trigger ids have no `_` (MAPC0708), so no two names meet; the address stays the same as
 * long as the name does, so a rebuild never moves a resource in the state.
 */
export function tfIdentifier(kebab: string): string {
  const id = kebab.replace(/-/g, '_');
  if (!/^[a-z][a-z0-9_]*$/.test(id)) throw new Error(`output: ${JSON.stringify(kebab)} is not a kebab-case name`);
  return id;
}

/** Longer names are cut (and so get the hash): an identifier stays readable. */
const MAX_BASE = 48;

/**
 * The identifiers of the `data "auth0_action"` blocks of external Actions, whose names are any
 * text (the name in the tenant). A name made of lowercase letters, digits and one kind of
 * separator (`-` or `_`) keeps it (`geo-block` → `geo_block`); any other name, and names that
 * would meet, get the first 8 hex digits of the name's SHA-256 appended (`Geo Block` →
 * `geo_block_1f3a…`); over 48 characters, the name is cut first. Data sources hold no state,
 * so an identifier changing moves nothing.
 */
export function dataSourceIdentifiers(names: readonly string[]): Map<string, string> {
  const distinct = [...new Set(names)].sort(compare);
  const base = new Map<string, string>();
  for (const name of distinct) {
    const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    const id = /^[a-z]/.test(s) ? s : s === '' ? 'action' : `action_${s}`;
    base.set(name, id.length > MAX_BASE ? id.slice(0, MAX_BASE).replace(/_+$/, '') : id);
  }
  const count = new Map<string, number>();
  for (const s of base.values()) count.set(s, (count.get(s) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const name of distinct) {
    const s = base.get(name)!;
    const lossless = name === s || name === s.replace(/_/g, '-');
    out.set(name, lossless && count.get(s) === 1 ? s : `${s}_${sha256(name).slice(0, 8)}`);
  }
  if (new Set(out.values()).size !== out.size) throw new Error('output: two external Actions got one Terraform identifier');
  return out;
}

/**
 * A string as a Terraform literal. Terraform's JSON syntax reads every string value as a
 * template, so `${` and `%{` in a user's text are escaped as `$${` and `%%{` (HCL's escapes).
 */
export function literal(text: string): string {
  return text.replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);
}

/** `${<expr>}`: a Terraform expression in JSON syntax; `expr` is made here only, from identifiers. */
function expr(e: string): string {
  return '${' + e + '}';
}

const HEADER =
  'Generated by mapc from the mapping specs - do not edit; run `mapc build --target terraform` instead. ' +
  'A child module: call it from your root module (module "mapc" { source = "<relative path of this folder>" }) with one secret_<NAME> per Action secret; see docs/deploy.md of mapc.';

/** main.tf.json for `program`: see the module comment. Pure and deterministic. */
export function renderTerraform(program: ProgramIR): string {
  const own = new Set(program.actions.map((a) => a.name));
  const externals = program.bindings.flatMap((b) => b.actions.filter((n) => !own.has(n)));
  const dataIds = dataSourceIdentifiers(externals);

  const secretUsers = new Map<string, string[]>();
  for (const a of program.actions) for (const s of a.secrets) secretUsers.set(s, [...(secretUsers.get(s) ?? []), a.name]);

  const variable: Record<string, unknown> = {
    [SECRETS_VERSION_VARIABLE]: {
      type: 'number',
      default: 1,
      nullable: false,
      description: 'secrets_wo_version of every mapc Action: increase it to send the current secret values to Auth0 (write-only values are not compared between plans).',
    },
  };
  for (const [name, users] of [...secretUsers].sort((x, y) => compare(x[0], y[0]))) {
    variable[secretVariable(name)] = {
      type: 'string',
      sensitive: true,
      ephemeral: true,
      nullable: false,
      description: literal(`Value of the Action secret ${name} (used by ${users.join(', ')}); never stored in the state.`),
    };
  }

  const actions: Record<string, unknown> = {};
  for (const a of program.actions) {
    actions[tfIdentifier(a.name)] = {
      name: literal(a.name),
      // codePath checks the name is safe as a path; file() reads it relative to this module.
      code: expr(`file("\${path.module}/${codePath(a.name)}")`),
      runtime: a.runtime,
      deploy: true,
      supported_triggers: [{ id: a.trigger, version: a.triggerVersion }],
      ...(a.secrets.length > 0
        ? {
            secrets_wo: a.secrets.map((s) => ({ name: literal(s), value: expr(`var.${secretVariable(s)}`) })),
            secrets_wo_version: expr(`var.${SECRETS_VERSION_VARIABLE}`),
          }
        : {}),
    };
  }

  const triggers: Record<string, unknown> = {};
  for (const b of program.bindings) {
    triggers[tfIdentifier(b.trigger)] = {
      trigger: b.trigger,
      actions: b.actions.map((n) => ({
        id: own.has(n) ? expr(`auth0_action.${tfIdentifier(n)}.id`) : expr(`data.auth0_action.${dataIds.get(n)!}.id`),
        display_name: literal(n),
      })),
    };
  }

  const resource: Record<string, unknown> = {};
  if (Object.keys(actions).length > 0) resource['auth0_action'] = actions;
  if (Object.keys(triggers).length > 0) resource['auth0_trigger_actions'] = triggers;
  const data = dataIds.size > 0 ? { auth0_action: Object.fromEntries([...dataIds].map(([name, id]) => [id, { name: literal(name) }])) } : undefined;

  const doc = {
    '//': HEADER,
    terraform: {
      required_version: TERRAFORM_REQUIRED_VERSION,
      required_providers: { auth0: { ...AUTH0_PROVIDER } },
    },
    variable,
    ...(data ? { data } : {}),
    ...(Object.keys(resource).length > 0 ? { resource } : {}),
  };
  return JSON.stringify(sortKeys(doc), null, 2) + '\n';
}

/**
 * Every output file of the Terraform target, by path relative to the output folder, sorted.
 * Same arguments and contract as `renderOutput`; the code.js files and the manifest are the
 * same bytes as for the Deploy CLI, tenant.yaml is replaced by main.tf.json (one folder, one
 * way to deploy it).
 */
export function renderTerraformOutput(
  program: ProgramIR,
  bundles: ReadonlyMap<string, string>,
  inputs: RenderInputs | LoadedProject,
): Map<string, string> {
  return renderOutputWith(program, bundles, inputs, [[TERRAFORM_FILE, renderTerraform(program)]]);
}
