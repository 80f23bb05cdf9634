/**
 * Risky changes: the few kinds of change a reviewer must not miss, each with why it matters.
 * Listed first in every format. Derived only from the two snapshots and their changes.
 */
import type { Change } from './compare';
import type { Item, PropValue, Snapshot } from './snapshot';

/** Stable identifiers of risk kinds (json `risks[].kind`; documented in docs/diff.md). */
export const RISK_KINDS = [
  'access-added',
  'access-changed',
  'access-removed',
  'redirect-otherwise',
  'claim-added',
  'claim-changed',
  'claim-removed',
  'claim-renamed',
  'claims-namespace',
  'host-added',
  'secret-added',
  'policy-deny',
  'owner-moved',
  'timeout-raised',
  'deadline-raised',
  'retries-raised',
] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export interface Risk {
  readonly kind: RiskKind;
  /** The spec it concerns, when it is inside one. */
  readonly spec?: string;
  /** What changed, in one line. */
  readonly message: string;
  /** Why a reviewer should care. */
  readonly why: string;
}

const WHY_ACCESS: Record<string, string> = {
  deny: 'it can block sign-ins that succeed today; check that its condition cannot match legitimate users',
  redirect: 'it interrupts the login and sends users to another site',
  mfa: 'it adds an MFA prompt; users without an enrolled factor must enrol before they can sign in',
};

const WHY = {
  accessRemoved: 'users this rule stopped are let through',
  claimAdded: 'every token now carries it, readable by the client; APIs may start to trust it',
  claimRemoved: 'apps and APIs that read it lose it',
  claimChanged: 'apps and APIs that read it get different values; decisions they base on it change',
  claimRenamed: 'apps and APIs that read the old name lose it',
  namespace: 'every custom claim is renamed; apps and APIs that read them lose them',
  host: 'user data can now be sent to a host it never reached before',
  secret: "it must be set in the Action's secrets in the tenant before deploying, or the calls fail",
  deadline: 'the Action may hold every login longer before giving up (Auth0 ends the flow at 20 s)',
  owner: 'another team becomes accountable for this data; both teams should agree',
  otherwise:
    'it decides what happens when Auth0 cannot redirect (refresh-token exchange, prompt=none): continue lets those users through without the page',
} as const;

function str(v: PropValue | undefined): string {
  return v === undefined ? '(unset)' : Array.isArray(v) ? v.join(', ') : String(v);
}

function num(v: PropValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function where(c: Change): string {
  return c.spec !== undefined ? ` in spec ${c.spec}` : '';
}

function isClaim(c: Change): boolean {
  return c.kind === 'field' && /^(continue )?(id_token|access_token)\./.test(c.key);
}

function label(c: Change): string {
  return c.kind === 'project' ? 'project default' : c.kind === 'spec' ? `spec ${c.key}` : `${c.kind} ${c.key}${where(c)}`;
}

/** Every risk of a change set, by kind (RISK_KINDS order), then change order. */
export function findRisks(base: Snapshot, head: Snapshot, changes: readonly Change[]): Risk[] {
  const risks: Risk[] = [];
  const spec = (c: Change) => (c.spec !== undefined ? { spec: c.spec } : {});

  // Claims removed and added in the same spec with the same source: a rename.
  const renamed = new Set<Change>();
  for (const gone of changes.filter((c) => isClaim(c) && c.status === 'removed')) {
    const twin = changes.find(
      (c) => isClaim(c) && c.status === 'added' && !renamed.has(c) && c.spec === gone.spec && c.after?.['from'] === gone.before?.['from'],
    );
    if (!twin) continue;
    renamed.add(gone).add(twin);
    risks.push({ kind: 'claim-renamed', ...spec(gone), message: `claim ${gone.key} renamed to ${twin.key}${where(gone)}`, why: WHY.claimRenamed });
  }

  for (const c of changes) {
    if (c.kind === 'access') {
      const kind = c.key.replace(/^(continue )?#\d+ /, '').replace(/ #\d+$/, '');
      const when = str((c.after ?? c.before)?.['when']);
      if (c.status === 'added') {
        risks.push({ kind: 'access-added', ...spec(c), message: `new ${kind} rule ${c.key.replace(/ [a-z]+$/, '')}${where(c)} when ${when}`, why: WHY_ACCESS[kind] ?? '' });
      } else if (c.status === 'removed') {
        risks.push({ kind: 'access-removed', ...spec(c), message: `${kind} rule ${c.key.replace(/ [a-z]+$/, '')} removed${where(c)} (was: when ${when})`, why: WHY.accessRemoved });
      } else {
        const otherwise = c.props.find((p) => p.name === 'otherwise');
        if (otherwise) {
          risks.push({
            kind: 'redirect-otherwise',
            ...spec(c),
            message: `redirect rule ${c.key.replace(/ redirect$/, '')}${where(c)}: otherwise ${str(otherwise.before)} → ${str(otherwise.after)}`,
            why: WHY.otherwise,
          });
        }
        const names = c.props.map((p) => p.name).filter((n) => n !== 'description' && n !== 'owner' && n !== 'otherwise');
        if (names.length > 0) {
          risks.push({ kind: 'access-changed', ...spec(c), message: `${kind} rule ${c.key.replace(/ [a-z]+$/, '')}${where(c)} changed: ${names.join(', ')}`, why: WHY_ACCESS[kind] ?? '' });
        }
      }
    }
    if (isClaim(c) && !renamed.has(c)) {
      if (c.status === 'added') risks.push({ kind: 'claim-added', ...spec(c), message: `claim ${c.key} added${where(c)}`, why: WHY.claimAdded });
      if (c.status === 'removed') risks.push({ kind: 'claim-removed', ...spec(c), message: `claim ${c.key} removed${where(c)}`, why: WHY.claimRemoved });
      if (c.status === 'changed') {
        // What the claim carries changed (not just its owner or description).
        const names = c.props.map((p) => p.name).filter((n) => n !== 'description' && n !== 'owner');
        if (names.length > 0) {
          risks.push({ kind: 'claim-changed', ...spec(c), message: `claim ${c.key}${where(c)} changed: ${names.join(', ')}`, why: WHY.claimChanged });
        }
      }
    }
    if (c.kind === 'project' && c.status === 'changed' && c.props.some((p) => p.name === 'claims_namespace')) {
      const p = c.props.find((x) => x.name === 'claims_namespace')!;
      risks.push({ kind: 'claims-namespace', message: `claims namespace ${str(p.before)} → ${str(p.after)}`, why: WHY.namespace });
    }
    // Policies switched to deny, or new requests that deny on failure.
    if (c.kind === 'lookup' || c.kind === 'send' || c.kind === 'spec' || c.kind === 'project') {
      const before = c.before?.['on_error'];
      const after = c.after?.['on_error'];
      if (after === 'deny' && before !== 'deny' && c.status !== 'removed' && !(c.kind === 'project' && c.status === 'added')) {
        const system = c.after?.['system'];
        risks.push({
          kind: 'policy-deny',
          ...spec(c),
          message: c.status === 'added' ? `new ${label(c)} with on_error: deny` : `${label(c)}: on_error ${str(before)} → deny`,
          why:
            typeof system === 'string'
              ? `an outage or a timeout of ${system} now blocks the sign-in instead of being skipped`
              : 'an unexpected failure now blocks the sign-in instead of being skipped',
        });
      }
    }
    if (c.status === 'changed') {
      for (const p of c.props) {
        const b = num(p.before);
        const a = num(p.after);
        if (b === undefined || a === undefined || a <= b) continue;
        const target = c.kind === 'system' ? c.key : typeof c.after?.['system'] === 'string' ? c.after['system'] : 'a system';
        if (p.name === 'timeout') {
          risks.push({
            kind: 'timeout-raised',
            ...spec(c),
            message: `${label(c)}: timeout ${b}ms → ${a}ms`,
            why: `when ${target} is slow it can hold the login longer; all calls of an Action share one deadline`,
          });
        } else if (p.name === 'deadline') {
          risks.push({ kind: 'deadline-raised', message: `${label(c)}: deadline ${b}ms → ${a}ms`, why: WHY.deadline });
        } else if (p.name === 'retries') {
          risks.push({
            kind: 'retries-raised',
            ...spec(c),
            message: `${label(c)}: retries ${b} → ${a}`,
            why: `more attempts add latency and load on ${target} exactly when it is struggling`,
          });
        }
      }
    }
    if (c.kind === 'attribute' && c.status === 'changed') {
      const p = c.props.find((x) => x.name === 'owner');
      if (p) risks.push({ kind: 'owner-moved', message: `attribute ${c.key}: owner ${str(p.before)} → ${str(p.after)}`, why: WHY.owner });
    }
  }

  // New hosts and secrets, project-wide (a system may be renamed without anything new).
  const hostsBefore = collect(base, 'hosts');
  for (const [host, systems] of collect(head, 'hosts')) {
    if (!hostsBefore.has(host)) risks.push({ kind: 'host-added', message: `new external host ${host} (system ${systems.join(', ')})`, why: WHY.host });
  }
  const secretsBefore = collect(base, 'secrets');
  for (const [secret, systems] of collect(head, 'secrets')) {
    if (!secretsBefore.has(secret)) risks.push({ kind: 'secret-added', message: `new secret ${secret} (system ${systems.join(', ')})`, why: WHY.secret });
  }

  // Writes whose owner changed: the same target written by another team than before.
  const ownersBefore = writeOwners(base);
  for (const [target, after] of writeOwners(head)) {
    const before = ownersBefore.get(target);
    if (!before || before.join() === after.join()) continue;
    risks.push({ kind: 'owner-moved', message: `write to ${target} moved from ${before.join(', ')} to ${after.join(', ')}`, why: WHY.owner });
  }
  // Most consequential kinds first; within a kind, change order (stable sort).
  return risks.sort((a, b) => RISK_KINDS.indexOf(a.kind) - RISK_KINDS.indexOf(b.kind));
}

/** value → names of the systems that have it, both sorted (determinism). */
function collect(snap: Snapshot, prop: 'hosts' | 'secrets'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of snap.items.values()) {
    if (item.kind !== 'system') continue;
    const values = item.props[prop];
    if (!Array.isArray(values)) continue;
    for (const v of values) out.set(v, [...(out.get(v) ?? []), item.key].sort());
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** Target → owners of the fields and `store`s that write it, sorted. */
export function writeOwners(snap: Snapshot): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const add = (target: string, owner: PropValue | undefined) => {
    if (typeof owner !== 'string') return;
    out.set(target, (out.get(target) ?? new Set()).add(owner));
  };
  for (const item of snap.items.values()) {
    if (item.kind === 'field') add(item.key.replace(/ #\d+$/, ''), item.props['owner']);
    if (item.kind === 'send') for (const t of storeTargets(item)) add(t, item.props['owner']);
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
}

/** Targets a send's `store` writes. */
export function storeTargets(item: Item): string[] {
  const store = item.props['store'];
  return Array.isArray(store) ? store.map((s) => s.split(' ← ')[0]!) : [];
}
