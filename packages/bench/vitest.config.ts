import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The dry run starts sixteen servers one after another.
    testTimeout: 120_000,
  },
})
