/**
 * What `mapc backfill` runs for one spec: the spec cut down to its metadata fields and the
 * lookups they read (transitively), as an Action of its own, emitted and bundled exactly like
 * the Actions `mapc build` writes. No access rule and no send is in it: a backfill writes
 * profiles, it never denies anyone or pushes to a system.
 *
 * Only sources that exist outside a login may be read: `user.*`, the spec's lookups, `value`,
 * `current`, `item` and functions that read nothing else of the event (`identity` reads
 * `user.identities`). Anything else (`request`, `client`, `transaction`, `stats`, ...) is
 * refused with MAPC0820 at the path that reads it.
 */
import { diag, type Diagnostic, type PhaseResult } from '../diagnostics';
import { defaultFunctions, pathsRead, walkExpr, type Expr } from '../expr';
import type { ActionIR, FieldIR, LookupIR, SpecIR, SystemIR } from '../ir';
import type { Field, Lookup, System } from '../model';
import { requestExprs, valueExprs } from '../model-walk';
import { systemSecrets } from '../systems';
import { emitAction } from '../emit';
import { bundleAction } from '../bundle';
import type { Compiled } from '../pipeline';
import type { TriggerId } from '../triggers';

/** Roots a backfill can give a value to (besides the spec's lookups). */
const OFFLINE_ROOTS = new Set(['user', 'value', 'current', 'item']);
/** Event roots a library function may read outside a login (`identity` reads user.identities; secrets come from the environment). */
const OFFLINE_EVENT_READS = new Set(['user', 'secrets']);

export interface BackfillPlan {
  readonly spec: string;
  readonly trigger: TriggerId;
  /** The cut-down Action (its one spec's metadata fields and needed lookups). */
  readonly action: ActionIR;
  /** Its bundled code.js. */
  readonly code: string;
  /** Secret names the cut-down Action reads (systems' auth and base URLs, library calls), sorted. */
  readonly secrets: readonly string[];
  /** Top-level profile fields the spec reads (`email`, `identities`, ...), plus user_id and both metadata: the export job's `fields`. */
  readonly userFields: readonly string[];
  /** `app_metadata.<top>` / `user_metadata.<top>` keys the spec writes, sorted. */
  readonly tops: readonly string[];
}

const isMetadata = (f: { target: { kind: string } }): boolean => f.target.kind === 'app_metadata' || f.target.kind === 'user_metadata';

function fieldExprs(f: Field): Expr[] {
  return [...valueExprs(f.from), ...(f.when ? [f.when] : [])];
}

/** The cut-down Action for `specName`, or MAPC0820/MAPC0821 diagnostics. */
export async function backfillPlan(compiled: Compiled, specName: string): Promise<PhaseResult<BackfillPlan | null>> {
  const spec = compiled.loaded.specs.find((s) => s.name.value === specName);
  const action = compiled.program.actions.find((a) => a.specs.some((s) => s.name === specName));
  const specIR = action?.specs.find((s) => s.name === specName);
  if (!spec || !action || !specIR) {
    const names = compiled.loaded.specs.map((s) => s.name.value);
    return fail(diag('MAPC0821', undefined, `the project has no spec named '${specName}'`, `specs: ${names.join(', ') || '(none)'}`));
  }
  const fields = spec.fields.filter((f) => {
    const t = f.to.value;
    return t.startsWith('app_metadata.') || t.startsWith('user_metadata.');
  });
  if (fields.length === 0) {
    return fail(
      diag('MAPC0821', spec.name.span, `spec '${specName}' writes no app_metadata or user_metadata field: there is nothing to backfill`, 'backfill brings metadata fields up to date; claims, access rules and sends act only at login'),
    );
  }
  const diagnostics: Diagnostic[] = [];
  const lookups = new Map(spec.lookups.map((l) => [l.name.value, l]));
  const used = new Set(spec.uses.map((u) => u.name.value));
  const needed = new Set<string>();
  const functions = defaultFunctions();
  const userFields = new Set(['user_id', 'app_metadata', 'user_metadata']);
  const checkExprs = (exprs: readonly Expr[], what: string): void => {
    for (const e of exprs) {
      for (const p of pathsRead(e)) {
        if (p.root === 'user') {
          if (typeof p.keys[0] === 'string') userFields.add(p.keys[0]);
          else userFields.add('*');
        } else if (lookups.has(p.root)) {
          if (!needed.has(p.root)) {
            needed.add(p.root);
            const l = lookups.get(p.root)!;
            checkExprs(requestExprs(l), `lookup '${p.root}'`);
            checkSystem(compiled.loaded.project.systems.find((s) => s.name.value === l.system.value));
          }
        } else if (used.has(p.root)) {
          diagnostics.push(
            diag('MAPC0820', p.span, `${what} reads '${p.root}', a lookup shared from another spec (uses:), which backfill does not run`, `declare the lookup in spec '${specName}' itself to backfill this field`),
          );
        } else if (!OFFLINE_ROOTS.has(p.root)) {
          diagnostics.push(
            diag('MAPC0820', p.span, `${what} reads '${[p.root, ...p.keys].join('.')}', which exists only during a login: backfill runs outside Auth0, over exported profiles`, 'backfill only fields computed from user.* and the spec\'s lookups; the login-time spec keeps the others up to date'),
          );
        }
      }
      walkExpr(e, (c) => {
        if (c.kind !== 'call') return;
        const sig = Object.prototype.hasOwnProperty.call(functions, c.name) ? functions[c.name] : undefined;
        const reads = sig?.readsEvent;
        if (reads && !OFFLINE_EVENT_READS.has(reads[0])) {
          diagnostics.push(diag('MAPC0820', c.nameSpan, `${what} calls ${c.name}(), which reads event.${reads.join('.')}: that exists only during a login`, 'backfill only fields computed from user.* and the spec\'s lookups'));
        }
        if (reads && reads[0] === 'user' && reads[1] !== undefined) userFields.add(reads[1]);
      });
    }
  };
  const checkedSystems = new Set<System>();
  const checkSystem = (sys: System | undefined): void => {
    if (!sys || checkedSystems.has(sys)) return;
    checkedSystems.add(sys);
    if (sys.baseUrl.kind === 'routed') checkExprs([sys.baseUrl.by], `system '${sys.name.value}' (its routing)`);
  };
  for (const f of fields) {
    checkExprs(fieldExprs(f), `field '${f.to.value}'`);
    for (const t of f.transform) {
      const sig = Object.prototype.hasOwnProperty.call(functions, t.name.value) ? functions[t.name.value] : undefined;
      const reads = sig?.readsEvent;
      if (reads && !OFFLINE_EVENT_READS.has(reads[0])) {
        diagnostics.push(diag('MAPC0820', t.name.span, `field '${f.to.value}' transforms with ${t.name.value}, which reads event.${reads.join('.')}: that exists only during a login`));
      }
    }
  }
  if (diagnostics.length > 0) return { result: null, diagnostics };

  const spans = new Set(fields.map((f) => f.to.span.start));
  const keptFields: FieldIR[] = specIR.fields.filter((f) => isMetadata(f) && f.to !== undefined && f.to.span.file === spec.file && spans.has(f.to.span.start));
  const keptLookups: LookupIR[] = specIR.lookups.filter((l) => needed.has(l.name));
  const cut: SpecIR = { name: specIR.name, owner: specIR.owner, source: specIR.source, onError: specIR.onError, lookups: keptLookups, fields: keptFields, access: [], sends: [] };
  const systemNames = new Set(keptLookups.map((l) => l.system));
  const systems: SystemIR[] = action.systems.filter((s) => systemNames.has(s.name));
  const secrets = new Set<string>();
  for (const s of compiled.loaded.project.systems) if (systemNames.has(s.name.value)) for (const n of systemSecrets(s)) secrets.add(n.value);
  for (const n of functionSecretNames(fields, [...needed].map((n) => lookups.get(n)!))) secrets.add(n);
  const written = new Set(keptFields.map((f) => registryTop(f)));
  const cutAction: ActionIR = {
    ...action,
    name: `mapc-backfill-${specName}`,
    specs: [cut],
    systems,
    secrets: [...secrets].sort(),
    registry: action.registry.filter(([k]) => keptFields.some((f) => targetKeyOf(f) === k)),
    usesRedirect: false,
  };
  const bundled = await bundleAction(emitAction(cutAction), cutAction.name);
  if ('diagnostics' in bundled) return { result: null, diagnostics: [...bundled.diagnostics] };
  return {
    result: {
      spec: specName,
      trigger: action.trigger,
      action: cutAction,
      code: bundled.code,
      secrets: [...secrets].sort(),
      userFields: [...userFields].filter((f) => f !== '*').sort(),
      tops: [...written].sort(),
    },
    diagnostics: [],
  };
}

function targetKeyOf(f: FieldIR): string {
  const t = f.target;
  return 'path' in t ? `${t.kind}.${t.path.join('.')}` : t.kind;
}

function registryTop(f: FieldIR): string {
  const t = f.target;
  return 'path' in t ? `${t.kind}.${t.path[0]}` : t.kind;
}

/** Secret names passed to library calls (`hmac_sha256(x, 'KEY')`) by the kept fields and lookups. */
function functionSecretNames(fields: readonly Field[], lookups: readonly Lookup[]): string[] {
  const functions = defaultFunctions();
  const out: string[] = [];
  const exprs = [...fields.flatMap(fieldExprs), ...lookups.flatMap(requestExprs)];
  for (const e of exprs) {
    walkExpr(e, (c) => {
      if (c.kind !== 'call') return;
      const sig = Object.prototype.hasOwnProperty.call(functions, c.name) ? functions[c.name] : undefined;
      sig?.params.forEach((p, i) => {
        const a = c.args[i];
        if (p.check === 'secret' && a?.kind === 'literal' && typeof a.value === 'string') out.push(a.value);
      });
    });
  }
  for (const f of fields) {
    for (const t of f.transform) {
      const sig = Object.prototype.hasOwnProperty.call(functions, t.name.value) ? functions[t.name.value] : undefined;
      // A transform's arguments follow the value (parameter 0); named ones go by parameter name.
      sig?.params.forEach((p, i) => {
        const a = i === 0 ? undefined : (t.args[i - 1] ?? t.namedArgs?.find((n) => n.name.value === p.name)?.value);
        if (p.check === 'secret' && typeof a?.value === 'string') out.push(a.value);
      });
    }
  }
  return out;
}

function fail(d: Diagnostic): PhaseResult<null> {
  return { result: null, diagnostics: [d] };
}
