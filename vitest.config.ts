import { defineConfig } from 'vitest/config'

// Editor and ad-hoc runs from the root see every package; `npm test` runs each package through turbo.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
  },
})
