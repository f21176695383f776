import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // A harness limit for a busy 2-core CI machine (Chromium starts in the browser test), not a timing assertion.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
