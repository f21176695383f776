import type { Framework } from './types.ts'

/**
 * The frameworks in report order. Each is loaded on demand: a server process imports only the
 * framework it serves, so no other library's code shares its heap or its JIT state.
 */
export const frameworks = {
  fastify: async () => (await import('./fastify.ts')).fastify,
  koa: async () => (await import('./koa.ts')).koa,
  hono: async () => (await import('./hono.ts')).hono,
  fetch: async () => (await import('./fetch.ts')).fetch,
  express: async () => (await import('./express.ts')).express5,
} satisfies Record<string, () => Promise<Framework>>

export type FrameworkName = keyof typeof frameworks
export const frameworkNames = Object.keys(frameworks) as FrameworkName[]

/** For the report: what runs each framework, its peer plugin and the npm package that ships it. */
export const about: Record<FrameworkName, { runsOn: string[]; peer: string; peerPackage: string }> = {
  fastify: { runsOn: ['fastify'], peer: '@fastify/cors', peerPackage: '@fastify/cors' },
  koa: { runsOn: ['koa'], peer: '@koa/cors', peerPackage: '@koa/cors' },
  hono: { runsOn: ['hono', '@hono/node-server'], peer: 'hono/cors', peerPackage: 'hono' },
  fetch: { runsOn: ['@hono/node-server'], peer: 'itty-router cors', peerPackage: 'itty-router' },
  express: { runsOn: ['express'], peer: 'cors', peerPackage: 'cors' },
}

export { type Framework, type Variant, variantLabels, variants } from './types.ts'
