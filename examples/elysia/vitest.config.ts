import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // A harness limit for a busy 2-core CI machine (the server tests start Node and Bun), not a timing assertion.
    testTimeout: 60_000,
  },
})
