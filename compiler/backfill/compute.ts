/**
 * Computes what the login-time spec would write for one exported profile, offline: the
 * cut-down Action of ./plan.ts is loaded the way Auth0 loads it (compiler/emulator `loadAction`,
 * the emulator's `event` and `api` for the trigger) and run over an event made from the profile
 * (`user` is the profile; the rest is the trigger's default event). Its lookups call the real
 * systems, with the runtime's timeouts, retries and error policy, through `fetch`.
 *
 * `concurrency` module instances are loaded, and each runs one user at a time, so the log lines
 * an instance prints during a run are that user's: a lookup whose line is not a 2xx (or a spec
 * that failed) marks the user as skipped. The log lines themselves are never printed (they are
 * scrubbed by the runtime anyway).
 */
import { createApi, loadAction, type LoadedAction } from '../emulator';
import { defaultEvent } from '../triggers';
import type { BackfillPlan } from './plan';

/** One changed user as the changeset (and the PATCH body) holds it: changed top-level keys, whole. */
export interface UserChange {
  readonly user_id: string;
  readonly app_metadata?: Record<string, unknown>;
  readonly user_metadata?: Record<string, unknown>;
}

export type Outcome =
  | { readonly kind: 'change'; readonly change: UserChange }
  | { readonly kind: 'unchanged' }
  /** A lookup failed (`reason`: `lookup <name>: <status>`) or the spec failed: nothing is written. */
  | { readonly kind: 'skipped'; readonly reason: string };

export interface ComputerOptions {
  /** Secret values by name (from the environment). */
  readonly secrets: Readonly<Record<string, string>>;
  /** Users computed at the same time (= concurrent lookups per system at most). */
  readonly concurrency: number;
  /** The `fetch` lookups use (default: the global one). */
  readonly fetch?: typeof fetch;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Computer {
  private readonly free: LoadedAction[] = [];
  private readonly waiting: ((a: LoadedAction) => void)[] = [];
  private readonly base: Record<string, unknown>;

  constructor(
    private readonly plan: BackfillPlan,
    private readonly options: ComputerOptions,
  ) {
    const fetchFn = options.fetch ?? fetch;
    for (let i = 0; i < Math.max(1, options.concurrency); i++) {
      this.free.push(loadAction(plan.code, [], { trigger: plan.trigger, fetch: fetchFn }));
    }
    this.base = defaultEvent(plan.trigger);
  }

  /** What the spec would write for `user` (an exported profile with a `user_id`). Never rejects. */
  async compute(user: Record<string, unknown>): Promise<Outcome> {
    const instance = await this.acquire();
    try {
      return await this.runOn(instance, user);
    } finally {
      this.release(instance);
    }
  }

  private async runOn(instance: LoadedAction, user: Record<string, unknown>): Promise<Outcome> {
    const app = isObject(user['app_metadata']) ? user['app_metadata'] : {};
    const usr = isObject(user['user_metadata']) ? user['user_metadata'] : {};
    const event: Record<string, unknown> = {
      ...this.base,
      user: { ...user, app_metadata: app, user_metadata: usr },
      secrets: { ...this.options.secrets },
    };
    instance.logs.length = 0;
    const { api, record } = createApi(this.plan.trigger, event, { entrypoint: instance.entrypoints[0]! });
    try {
      await instance.execute(instance.entrypoints[0], event, api);
    } catch (err) {
      return { kind: 'skipped', reason: `the Action failed: ${err instanceof Error ? err.name : 'error'}` };
    }
    const problem = failure(instance.logs);
    instance.logs.length = 0;
    if (problem !== null) return { kind: 'skipped', reason: problem };
    const change: { user_id: string; app_metadata?: Record<string, unknown>; user_metadata?: Record<string, unknown> } = { user_id: String(user['user_id']) };
    for (const [k, v] of record.appMetadataCalls) (change.app_metadata ??= {})[k] = v;
    for (const [k, v] of record.userMetadataCalls) (change.user_metadata ??= {})[k] = v;
    return change.app_metadata || change.user_metadata ? { kind: 'change', change } : { kind: 'unchanged' };
  }

  private acquire(): Promise<LoadedAction> {
    const a = this.free.pop();
    if (a) return Promise.resolve(a);
    return new Promise((r) => this.waiting.push(r));
  }

  private release(a: LoadedAction): void {
    const next = this.waiting.shift();
    if (next) next(a);
    else this.free.push(a);
  }
}

/** Why a run must not be written, from its log lines: a lookup without a 2xx, or a failed spec; null when none. */
export function failure(lines: readonly string[]): string | null {
  for (const line of lines) {
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(e)) continue;
    const step = typeof e['step'] === 'string' ? e['step'] : '';
    const status = e['status'];
    // A cached OAuth token refused (401) is fetched again and the request made once more: the next line decides.
    if (e['msg'] === 'cached token refused') continue;
    if (step.startsWith('lookup:') && !(typeof status === 'number' && status >= 200 && status <= 299)) {
      return `lookup ${step.slice('lookup:'.length)}: ${typeof status === 'number' || typeof status === 'string' ? status : 'failed'}`;
    }
    if (status === 'error') return `spec failed at ${step || 'run'}`;
  }
  return null;
}
