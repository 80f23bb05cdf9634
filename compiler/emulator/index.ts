/**
 * Public surface of the emulator — the `mapc test` product: runs generated Actions the way
 * Auth0 does (its loader, an Auth0-faithful `event` and `api` per trigger, stub systems on
 * 127.0.0.1, the virtual clock every case runs on), and the test-file model, runner and reporter.
 */
export * from './cases';
export * from './expect';
export * from './auth0-api';
export * from './load';
export * from './run-action';
export * from './stubs';
export * from './clock';
export * from './net-activity';
export * from './events';
