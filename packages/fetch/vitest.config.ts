import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The adversarial suite (@cors/conformance) forces garbage collection to check the heap stays flat.
    execArgv: ['--expose-gc'],
    typecheck: { include: ['src/**/*.test-d.ts'] },
  },
})
