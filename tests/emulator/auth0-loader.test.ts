/**
 * The harness loader against Auth0's own (`@auth0/actions` src/_shared/_XK5Fidc.js):
 * vm.compileFunction in the main realm, lazy module initialization, a top-level error thrown
 * on every run, getHandlerFactory's checks and messages. Also the sample organisation: every
 * generated Action loads through it and runs its default event without an api error.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../compiler/emulator/auth0-api';
import { defaultEvent } from '../../compiler/triggers';
import { loadAction } from '../../compiler/emulator/load';
import { entrypointsOf } from '../../compiler/triggers';
import { runAction } from '../../compiler/emulator/run-action';
import { TRIGGER_IDS } from '../../compiler/triggers';
import { compileOrThrow } from '../helpers/compiled';

const signature = (name: string) =>
  `Invalid function signature for the "${name}" handler. Use "exports.${name} = async function(event, api) { }" as the signature.`;

const run = (code: string, entrypoint = 'onExecutePostLogin') => {
  const loaded = loadAction(code, [], { trigger: 'post-login' });
  return loaded.execute(entrypoint, defaultEvent('post-login'), createApi('post-login', defaultEvent('post-login')).api);
};

describe('handler signature (getHandlerFactory / isAction)', () => {
  it.each([
    ['an arrow returning a promise', 'exports.onExecutePostLogin = (event, api) => Promise.resolve();'],
    ['a plain function', 'exports.onExecutePostLogin = function (event, api) { return undefined; };'],
    ['an async generator', 'exports.onExecutePostLogin = async function* (event, api) {};'],
    ['a class', 'exports.onExecutePostLogin = class {};'],
    ['a value', 'exports.onExecutePostLogin = 42;'],
    ['nothing', 'exports.somethingElse = async () => {};'],
  ])('refuses %s with Auth0 exact message', async (_what, code) => {
    await expect(run(code)).rejects.toThrow(signature('onExecutePostLogin'));
  });

  it.each([
    ['an async arrow', 'exports.onExecutePostLogin = async (event, api) => { api.access.deny("x"); };'],
    ['an async function', 'exports.onExecutePostLogin = async function (event, api) { api.access.deny("x"); };'],
    ['module.exports with an async method', 'module.exports = { async onExecutePostLogin(event, api) { api.access.deny("x"); } };'],
    ['an esbuild-style export getter', 'async function onExecutePostLogin(e, api) { api.access.deny("x"); }\nObject.defineProperty(exports, "onExecutePostLogin", { get: () => onExecutePostLogin, enumerable: true });'],
  ])('runs %s', async (_what, code) => {
    const loaded = loadAction(code, [], { trigger: 'post-login' });
    const { api, record } = createApi('post-login', defaultEvent('post-login'));
    await loaded.execute('onExecutePostLogin', defaultEvent('post-login'), api);
    expect(record.access).toEqual({ kind: 'deny', reason: 'x' });
  });

  it('checks the entrypoint against the trigger, and the exports object', async () => {
    const code = 'exports.onExecutePostLogin = async () => {}; exports.onContinuePostLogin = () => {};';
    await expect(run(code, 'onExecutePreUserRegistration')).rejects.toThrow('The Action can only be called with valid methods.');
    await expect(run(code, 'onContinuePostLogin')).rejects.toThrow(signature('onContinuePostLogin'));
    // An empty entrypoint means the trigger's first one, as in Auth0.
    await expect(run(code, '')).resolves.toBeUndefined();
    await expect(run('module.exports = 5;')).rejects.toThrow('The Action must export an object.');
    await expect(run('module.exports = async function onExecutePostLogin() {};')).rejects.toThrow('The Action must export an object.');
    await expect(run('module.exports = null;')).rejects.toThrow('The Action must export an object.');
  });

  it('offers each trigger its entrypoints (continue handlers for post-login and pre-user-registration)', () => {
    expect(Object.fromEntries(TRIGGER_IDS.map((t) => [t, entrypointsOf(t)]))).toEqual({
      'post-login': ['onExecutePostLogin', 'onContinuePostLogin'],
      'pre-user-registration': ['onExecutePreUserRegistration', 'onContinuePreUserRegistration'],
      'post-user-registration': ['onExecutePostUserRegistration'],
      'credentials-exchange': ['onExecuteCredentialsExchange'],
      'post-change-password': ['onExecutePostChangePassword'],
    });
    expect(loadAction('', [], { trigger: 'credentials-exchange' }).entrypoints).toEqual(['onExecuteCredentialsExchange']);
    expect(() => loadAction('', [], { entrypoints: [] })).toThrow('The compiler must support at least one entrypoint.');
  });
});

describe('module initialization (ActionsRunner)', () => {
  it('runs the top level lazily, once, on the first execution; module state persists', async () => {
    const code = `console.log('init'); let n = 0;
exports.onExecutePostLogin = async (event, api) => { n += 1; console.log('run ' + n); };`;
    const loaded = loadAction(code, [], { trigger: 'post-login' });
    expect(loaded.logs).toEqual([]);
    const { api } = createApi('post-login', defaultEvent('post-login'));
    await loaded.execute('onExecutePostLogin', {}, api);
    await loaded.execute('onExecutePostLogin', {}, api);
    expect(loaded.logs).toEqual(['init', 'run 1', 'run 2']);
  });

  it('a top level that throws fails the first and every later run with the same error', async () => {
    const loaded = loadAction("let runs = 0; exports.onExecutePostLogin = async () => {}; throw new Error('boom at load');", [], { trigger: 'post-login' });
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) await loaded.execute('onExecutePostLogin', {}, {}).catch((e: unknown) => errors.push(e));
    expect(errors).toHaveLength(3);
    expect((errors[0] as Error).message).toBe('boom at load');
    expect(errors[1]).toBe(errors[0]);
    expect(errors[2]).toBe(errors[0]);
    expect(() => loaded.exports).toThrow('boom at load');
  });

  it('reports a thrown non-Error as Auth0 does (toError)', async () => {
    await expect(run("throw 'text';")).rejects.toThrow(new Error('text'));
    await expect(run('throw 0;')).rejects.toThrow(new Error('Unknown error'));
  });

  it('a syntax error fails loading; the file is code.js', async () => {
    expect(() => loadAction('exports.x = ;', [], { trigger: 'post-login' })).toThrow(SyntaxError);
    const loaded = loadAction('exports.onExecutePostLogin = async () => { throw new Error("where"); };', [], { trigger: 'post-login' });
    const err = (await loaded.execute('onExecutePostLogin', {}, {}).catch((e: unknown) => e)) as Error;
    expect(err.stack).toMatch(/code\.js:1/);
  });

  it('evaluates in the main realm, with module, exports, require, console, fetch and Date', async () => {
    const loaded = loadAction(
      `exports.values = [[], {}, new Date(0), async () => {}];
exports.frees = [typeof module, typeof exports, typeof require, typeof console, typeof fetch, typeof Date, typeof __filename];
exports.crypto = require('node:crypto').createHash('sha256').update('abc').digest('hex').slice(0, 8);
exports.npm = () => require('yaml');`,
      [],
      { now: Date.UTC(2024, 5, 1) },
    );
    const ex = loaded.exports as { values: unknown[]; frees: string[]; crypto: string; npm: () => unknown };
    expect(ex.values[0]).toBeInstanceOf(Array);
    expect(ex.values[1]).toBeInstanceOf(Object);
    expect(ex.values[2]).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(ex.values[3])).toBe(Object.getPrototypeOf(async () => {}));
    expect(ex.frees).toEqual(['object', 'object', 'function', 'object', 'function', 'function', 'undefined']);
    expect(ex.crypto).toBe('ba7816bf');
    expect(ex.npm).toThrow("generated code may only require Node built-ins, not 'yaml'");
  });
});

describe('runAction through the loader', () => {
  const base = { trigger: 'post-login' as const, systems: [], event: defaultEvent('post-login') };

  it('a non-async handler or a module error fails the run with threw', async () => {
    const sync = await runAction({ ...base, code: 'exports.onExecutePostLogin = (e, api) => api.access.deny("no");' });
    expect(sync.threw).toBe(signature('onExecutePostLogin'));
    expect(sync.record.calls).toEqual([]);
    const broken = await runAction({ ...base, code: 'exports.onExecutePostLogin = async () => {}; null.x;' });
    expect(broken.threw).toMatch(/Cannot read properties of null/);
    const syntax = await runAction({ ...base, code: 'exports.onExecutePostLogin = async () => {' });
    expect(syntax.threw).toMatch(/Unexpected end of input|missing/);
  });

  it('runs the entrypoint it is given, and refuses one the trigger lacks', async () => {
    const code = 'exports.onExecutePostLogin = async () => {}; exports.onContinuePostLogin = async (e, api) => { api.idToken.setCustomClaim("step", "continue"); };';
    const out = await runAction({ ...base, code, entrypoint: 'onContinuePostLogin' });
    expect(out.threw).toBeUndefined();
    expect(out.entrypoint).toBe('onContinuePostLogin');
    expect(out.record.idTokenClaims).toEqual({ step: 'continue' });
    const wrong = await runAction({ ...base, trigger: 'credentials-exchange', code, entrypoint: 'onContinuePostLogin' });
    expect(wrong.threw).toBe('The Action can only be called with valid methods.');
  });
});

describe('the sample organisation through the loader', () => {
  it('every generated Action loads as Auth0 loads it and runs its default event without an api error', async () => {
    const compiled = await compileOrThrow('mappings');
    expect(compiled.program.actions.length).toBeGreaterThan(0);
    for (const action of compiled.program.actions) {
      const code = compiled.code.get(action.name)!;
      const loaded = loadAction(code, [], { trigger: action.trigger });
      for (const name of Object.keys(loaded.exports).filter((k) => loaded.entrypoints.includes(k))) {
        expect((loaded.exports[name] as () => unknown).constructor.name, `${action.name} ${name}`).toBe('AsyncFunction');
      }
      const out = await runAction({ code, trigger: action.trigger, systems: action.systems, event: defaultEvent(action.trigger) });
      expect(out.threw, action.name).toBeUndefined();
      expect(out.record.errors, action.name).toEqual([]);
      expect(out.refused, action.name).toEqual([]);
    }
  }, 60_000);
});
