import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['runtime/**/*.ts'],
      exclude: ['runtime/plan.ts', 'runtime/signatures.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
