/**
 * `mapc init [-p mappings]`: scaffold a project folder a newcomer can build and test at once —
 * the project file, one spec, its test file — each with the yaml-language-server hint that
 * gives editors completion and checking from mapc's JSON Schemas. Never overwrites: when any
 * of the files exists, nothing is written (MAPC0810).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../diagnostics';
import { sourceFile, span } from '../../source';
import { EXIT, type CliIO } from '../io';
import { report } from './build';
import { diag } from '../../diagnostics';

export interface InitOptions {
  readonly project: string;
  readonly format: 'text' | 'json';
}

/** One scaffold file: its name inside the project folder, which schema it follows, its body. */
interface ScaffoldFile {
  readonly name: string;
  readonly schema: 'project' | 'spec' | 'test';
  readonly body: string;
}

const SPEC_NAME = 'crm-enrichment';

const PROJECT_FILE = `# The project file: the systems your specs call (secrets by name only), defaults, and
# who owns which attribute. Reference: docs/language.md in the mapc repository.
version: 1
claims_namespace: https://example.com/
defaults:
  timeout: 2s          # per external call
  deadline: 8s         # all external calls of one Action together (Auth0 stops a flow at 20 s)
  retries: 0
  on_error: continue   # a failed call never blocks a login unless a spec says deny

systems:
  crm:
    base_url: https://crm.example.com/api
    auth: { bearer: CRM_API_KEY }      # the Action secret CRM_API_KEY holds the token
    timeout: 1500ms
    owner: team-crm

attributes:
  app_metadata.crm_contact_id: { owner: team-crm, type: string, description: Contact id in the CRM }
`;

const SPEC_FILE = `# A spec: what happens on one Auth0 trigger. Build it with \`mapc build\`, test it with
# \`mapc test\` (the cases are in ${SPEC_NAME}.test.yaml).
version: 1
name: ${SPEC_NAME}
owner: team-crm
trigger: post-login
description: Look up the user's CRM contact once, keep its id, and give it to apps in the ID token.

lookups:
  contact:                      # the JSON response becomes the source \`contact\`
    system: crm
    method: GET
    path: /contacts/by-external-id/{{user.user_id}}
    when: "!exists(user.app_metadata.crm_contact_id)"   # only until we know the id

fields:
  - to: app_metadata.crm_contact_id
    from: contact.id
    transform: [to_string]
  - to: id_token.crm_id         # the claim https://example.com/crm_id
    from: coalesce(to_string(contact.id), user.app_metadata.crm_contact_id)
`;

const TEST_FILE = `# Test cases for \`mapc test\`: each runs the generated Action against stub systems.
spec: ${SPEC_NAME}
defaults:
  event:
    user: { user_id: "auth0|123" }
cases:
  - name: a new user gets the CRM id stored and as a claim
    systems:
      crm:
        - { method: GET, path: /contacts/by-external-id/auth0%7C123, body: { id: 42 } }
    expect:
      app_metadata: { crm_contact_id: "42" }
      id_token: { crm_id: "42" }
      access: allow
      requests:
        - { system: crm, method: GET, path: /contacts/by-external-id/auth0%7C123 }

  - name: a known user is not looked up again
    event:
      user: { app_metadata: { crm_contact_id: "42" } }
    expect:
      id_token: { crm_id: "42" }
      requests: []

  - name: the login goes on when the CRM is down
    systems:
      crm:
        - { status: 503 }
    expect:
      app_metadata: { crm_contact_id: null }
      id_token: { crm_id: null }
      access: allow
`;

const FILES: readonly ScaffoldFile[] = [
  { name: 'mapc.yaml', schema: 'project', body: PROJECT_FILE },
  { name: `${SPEC_NAME}.yaml`, schema: 'spec', body: SPEC_FILE },
  { name: `${SPEC_NAME}.test.yaml`, schema: 'test', body: TEST_FILE },
];

/**
 * The folder holding mapc's committed `schema/*.json`: the mapc package this code runs from
 * (compiler/ in a checkout, dist/compiler/ once built, node_modules/mapc/ when installed).
 */
export function schemaDir(): string | null {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'schema', 'spec.schema.json');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'schema');
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The `$schema=` target for a file in `projectDir`: relative when it can be, so a checkout can move. */
function schemaRef(projectDir: string, kind: ScaffoldFile['schema'], schemas: string | null): string {
  const file = `${kind}.schema.json`;
  if (schemas === null) return `https://mapc.dev/schema/${kind}.json`;
  const rel = path.relative(projectDir, path.join(schemas, file));
  return path.isAbsolute(rel) ? path.join(schemas, file) : rel.split(path.sep).join('/');
}

/** The scaffold as file name → text, for a project folder at `projectDir` (absolute). */
export function scaffold(projectDir: string, schemas: string | null = schemaDir()): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of FILES) {
    out.set(f.name, `# yaml-language-server: $schema=${schemaRef(projectDir, f.schema, schemas)}\n${f.body}`);
  }
  return out;
}

export async function initCommand(io: CliIO, o: InitOptions): Promise<number> {
  const root = path.resolve(io.cwd, o.project);
  const shown = (name: string) => path.relative(io.cwd, path.join(root, name)).split(path.sep).join('/') || name;
  const files = scaffold(root);

  // Check every file first: a half-written scaffold would be worse than none.
  const existing: Diagnostic[] = [];
  for (const name of files.keys()) {
    const abs = path.join(root, name);
    if (!fs.existsSync(abs)) continue;
    const text = safeRead(abs);
    existing.push(
      diag(
        'MAPC0810',
        text !== null ? span(sourceFile(shown(name), text), 0) : undefined,
        `${shown(name)} already exists; mapc init never overwrites a file`,
        `nothing was written; run mapc init with another folder (-p <dir>), or move ${shown(name)} away`,
      ),
    );
  }
  if (existing.length > 0) {
    report(io, o.format, existing);
    return EXIT.failed;
  }

  const written: string[] = [];
  try {
    fs.mkdirSync(root, { recursive: true });
    for (const [name, text] of files) {
      // 'wx' fails if the file appeared since the check: still never an overwrite.
      fs.writeFileSync(path.join(root, name), text, { flag: 'wx' });
      written.push(name);
    }
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    report(io, o.format, [
      diag('MAPC0811', undefined, `could not write the scaffold in ${shown('.')}: ${why}`, written.length > 0 ? `written before the failure: ${written.map(shown).join(', ')}` : 'nothing was written'),
    ]);
    return EXIT.failed;
  }

  if (o.format === 'json') {
    report(io, 'json', []);
  } else {
    const flag = o.project === 'mappings' ? '' : ` -p ${o.project}`;
    io.stderr(
      `mapc: created ${[...files.keys()].map(shown).join(', ')}\n` +
        `next: mapc validate${flag} && mapc build${flag} && mapc test${flag}\n`,
    );
  }
  return EXIT.ok;
}

function safeRead(abs: string): string | null {
  try {
    return fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : null;
  } catch {
    return null;
  }
}
