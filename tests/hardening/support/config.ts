/**
 * Run counts for the hardening suite. `npm test` uses the small defaults (the CI budget);
 * `npm run fuzz` sets MAPC_FUZZ_RUNS=50000 for the large counts (5× the events of `npm test`,
 * 15× the strings and sources, 20× the projects, on a fresh seed). MAPC_FUZZ_SEED replays a
 * failure fast-check reported (it prints the seed and the shrunk counterexample).
 */

const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
};

/** The scale of a run: 1,000 in `npm test`, MAPC_FUZZ_RUNS (50,000) in `npm run fuzz`. */
const SCALE = envInt('MAPC_FUZZ_RUNS', 1000);

/**
 * Random events per Action (every spec of the Action sees every event), answered in process
 * on a virtual clock (support/host.ts memory transport): at least 10,000 in every run, CI
 * included (issue #8).
 */
export const EVENT_RUNS = Math.max(10_000, SCALE);

/** Random events per Action over real HTTP on 127.0.0.1 (the socket transport), besides EVENT_RUNS. */
export const SOCKET_EVENT_RUNS = Math.max(500, Math.round(SCALE / 10));

/** Random strings through `literal()`, comments and property keys (in-process: ~0.1 ms each). */
export const STRING_RUNS = Math.max(10_000, 3 * SCALE);

/** Random expression and template sources (in-process: ~0.1 ms each). */
export const SOURCE_RUNS = Math.max(10_000, 3 * SCALE);

/** Compiled projects carrying 8 random strings each (a full build with esbuild and two runs, ~25 ms). */
export const PROJECT_RUNS = Math.max(100, Math.round(SCALE / 25));

/**
 * `npm test` uses a fixed seed (a CI run is reproducible and cannot flake on a new find);
 * `npm run fuzz` (MAPC_FUZZ_RUNS set) explores a fresh seed each time, which fast-check
 * prints with any counterexample; MAPC_FUZZ_SEED replays it.
 */
export const SEED: number | undefined =
  process.env['MAPC_FUZZ_SEED'] !== undefined
    ? Number(process.env['MAPC_FUZZ_SEED'])
    : process.env['MAPC_FUZZ_RUNS'] !== undefined
      ? undefined
      : 20260801;

/** fast-check parameters for a property with `numRuns` runs. */
export function fcParams(numRuns: number): { numRuns: number; seed?: number; endOnFailure: boolean } {
  return { numRuns, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: false };
}
