/**
 * @module
 * The one list of adapters. Every suite and tool that runs "each adapter" reads it: the benchmark
 * (packages/bench), the packed-tarball smoke test (packages/smoke), the playground and the browser
 * suite (examples/browser), the doctor's Chromium agreement suite (packages/doctor/test) and the
 * checklist test beside this file, which fails when a package or example exists that this list
 * does not know, or when a suite does not cover an entry. Plain data: no adapter is imported here.
 */

/** What the benchmark needs to run one adapter next to no CORS, a hand-written minimum and the framework's own CORS plugin. */
export interface BenchEntry {
  /** The `Framework` that `packages/bench/src/frameworks/<name>.ts` exports under this name. */
  readonly export: string
  /** The libraries the server runs on (their versions go in the report). */
  readonly runsOn: readonly string[]
  /** The framework's own CORS plugin, as the report names it. */
  readonly peer: string
  /** The npm package that ships `peer`. */
  readonly peerPackage: string
}

/** An HTTP CORS adapter: it runs every shared suite, the benchmark, the playground and the browser suites. */
export interface HttpAdapter {
  readonly kind: 'http'
  /** The folder under `packages/` and `examples/`, and the key every suite uses. */
  readonly name: string
  /** The published package, `packages/<name>`. */
  readonly npm: `@cors/${string}`
  /** The framework a user installs next to it (its peer dependency); `null` for none. */
  readonly framework: string | null
  /** The example app, `examples/<name>`: it exports `createApp(options)`, which the playground starts. */
  readonly example: `@cors-examples/${string}`
  readonly bench: BenchEntry
  /** The example API's port in the playground (`npm start`), and the variable that moves it. */
  readonly playground: { readonly port: number; readonly env: string }
}

/** An adapter that is not an HTTP CORS middleware (WebSocket handshakes): its own tests, the packed smoke test. */
export interface HandshakeAdapter {
  readonly kind: 'websocket'
  readonly name: string
  readonly npm: `@cors/${string}`
  /** The example app, `examples/<name>`, or `null` when the package's README recipes are its examples. */
  readonly example: `@cors-examples/${string}` | null
}

export type Adapter = HttpAdapter | HandshakeAdapter

/** Every adapter, in the order reports, the playground and the smoke test show them. */
export const adapters = [
  {
    kind: 'http',
    name: 'fastify',
    npm: '@cors/fastify',
    framework: 'fastify',
    example: '@cors-examples/fastify',
    bench: { export: 'fastify', runsOn: ['fastify'], peer: '@fastify/cors', peerPackage: '@fastify/cors' },
    playground: { port: 3001, env: 'FASTIFY_PORT' },
  },
  {
    kind: 'http',
    name: 'koa',
    npm: '@cors/koa',
    framework: 'koa',
    example: '@cors-examples/koa',
    bench: { export: 'koa', runsOn: ['koa'], peer: '@koa/cors', peerPackage: '@koa/cors' },
    playground: { port: 3002, env: 'KOA_PORT' },
  },
  {
    kind: 'http',
    name: 'hono',
    npm: '@cors/hono',
    framework: 'hono',
    example: '@cors-examples/hono',
    bench: { export: 'hono', runsOn: ['hono', '@hono/node-server'], peer: 'hono/cors', peerPackage: 'hono' },
    playground: { port: 3003, env: 'HONO_PORT' },
  },
  {
    kind: 'http',
    name: 'fetch',
    npm: '@cors/fetch',
    framework: null,
    example: '@cors-examples/fetch',
    bench: {
      export: 'fetch',
      runsOn: ['@hono/node-server'],
      peer: 'itty-router cors',
      peerPackage: 'itty-router',
    },
    playground: { port: 3004, env: 'FETCH_PORT' },
  },
  {
    kind: 'http',
    name: 'express',
    npm: '@cors/express',
    framework: 'express',
    example: '@cors-examples/express',
    bench: { export: 'express5', runsOn: ['express'], peer: 'cors', peerPackage: 'cors' },
    playground: { port: 3005, env: 'EXPRESS_PORT' },
  },
] as const satisfies readonly Adapter[]

type Listed = (typeof adapters)[number]
/** The name of an HTTP adapter: a `Record<HttpAdapterName, …>` in a suite fails to compile when one is missing. */
export type HttpAdapterName = Extract<Listed, { kind: 'http' }>['name']
export type AdapterName = Listed['name']

/** The HTTP adapters, in list order. */
export const httpAdapters: readonly (HttpAdapter & { readonly name: HttpAdapterName })[] = adapters.filter(
  (adapter): adapter is Extract<Listed, { kind: 'http' }> => adapter.kind === 'http',
)
export const httpAdapterNames: readonly HttpAdapterName[] = httpAdapters.map((adapter) => adapter.name)

/** The packages under `packages/` that are not adapters: published ones first. */
export const otherPackages = {
  published: ['core', 'doctor'],
  private: ['conformance', 'bench', 'smoke'],
} as const

/** The apps under `examples/` that are not one adapter's example. */
export const otherExamples = ['browser'] as const

/** Every published package's folder under `packages/`: the core, the adapters, the doctor. */
export const publishedPackages: readonly string[] = [
  'core',
  ...adapters.map((adapter) => adapter.name),
  'doctor',
]
