import { defineConfig } from 'vitest/config';

// Three projects: pure units, server tests (every file on SQLite and PostgreSQL), browser tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['common/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          fileParallelism: false,
          // A loaded 2-core CI machine renders slower than the default 1 s poll allows; polls still stop at the condition.
          expect: { poll: { timeout: 15_000 } },
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
