import { defineConfig } from 'vitest/config';

// One vitest run covers unit, contract, integration and web component tests. Tests that
// need the stack read its URLs from the environment `npm test` sets (tests/support/env.ts).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
