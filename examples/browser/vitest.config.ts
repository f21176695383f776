import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Chromium starts in beforeAll; one browser per file.
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
})
