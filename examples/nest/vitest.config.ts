import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Harness limits for a busy 2-core CI machine (Nest processes and Chromium start in the browser
    // test), not timing assertions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
