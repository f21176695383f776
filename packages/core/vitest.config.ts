import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The fast-check properties run thousands of cases each: seconds alone, more on a busy 2-core CI
    // machine. A harness limit, not a timing assertion.
    testTimeout: 60_000,
    typecheck: { include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
})
