import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: on CI's 2 cores that is one file at
    // a time, while the Deploy CLI, README and socket tests mostly wait. One per core.
    maxWorkers: Math.max(2, availableParallelism()),
    coverage: {
      provider: 'v8',
      include: ['runtime/**/*.ts'],
      exclude: ['runtime/plan.ts', 'runtime/signatures.ts'],
      reporter: ['text-summary', 'text'],
      // Issue #3: the runtime (bundled into every Action) keeps branch coverage of at least 95%.
      thresholds: { branches: 95 },
    },
  },
});
