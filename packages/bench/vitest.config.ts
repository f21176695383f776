import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The dry run starts four servers per framework one after another (2 min for 8 frameworks on a busy 2-core machine).
    testTimeout: 300_000,
  },
})
