import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // A harness limit for a busy 2-core CI machine, not a timing assertion.
    testTimeout: 30_000,
    // The adversarial suite (@cors/conformance) forces garbage collection to check the heap stays flat.
    execArgv: ['--expose-gc'],
    typecheck: { include: ['src/**/*.test-d.ts'] },
  },
})
