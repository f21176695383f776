import type { TestProject } from 'vitest/node'
import { apps, build, type Started, start } from '../src/apps.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    next16: number
    next15: number
  }
}

/** `next build` once per run (skipped when the last build is fresh), then `next start` for both apps. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: Started[] = []
  for (const app of Object.values(apps)) {
    const seconds = await build(app)
    if (seconds > 0) console.log(`${app.name}: next build took ${seconds.toFixed(1)} s`)
  }
  try {
    for (const app of Object.values(apps)) {
      const server = await start(app)
      started.push(server)
      project.provide(app.name, server.port)
    }
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()))
    throw error
  }
  return async () => {
    await Promise.all(started.map((server) => server.stop()))
  }
}
