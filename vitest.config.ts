import { defineConfig } from 'vitest/config';

// One vitest run covers unit, contract, integration and web component tests. Tests that
// need the stack read its URLs from the environment `npm test` sets (tests/support/stack.ts).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // supabase-js creates a realtime client eagerly and needs a global WebSocket, which
    // Node 20 only has behind this flag (Node 22 has it by default).
    poolOptions: { forks: { execArgv: ['--experimental-websocket'] } },
    fileParallelism: false,
  },
});
