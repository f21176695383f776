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

/**
 * Why a shared tool does not run an adapter (yet). Said in the list, so a gap is one line anyone can
 * read, and the checklist test accepts nothing else in its place.
 */
export interface NotCovered {
  readonly notCovered: string
}

/**
 * A tool that does not start an adapter itself because another test runs the same check on what the
 * adapter really runs on (a `next build` app, a WebSocket handshake). The checklist test holds the
 * named file to it: it exists, drives Chromium and uses the package.
 */
export interface CoveredBy {
  /** The test file, from the repository root. */
  readonly coveredBy: `${'packages' | 'examples'}/${string}.test.ts`
  /** Why that test, and not the shared tool, runs it. */
  readonly why: string
}

/** An HTTP CORS adapter: it runs the four shared suites, and every tool below runs it or says why not. */
export interface HttpAdapter {
  readonly kind: 'http'
  /** The folder under `packages/` and `examples/`, and the key every suite uses. */
  readonly name: string
  /** The published package, `packages/<name>`. */
  readonly npm: `@cors/${string}`
  /** The framework a user installs next to it (its first peer dependency); `null` for none. */
  readonly framework: string | null
  /** The example app, `examples/<name>`. */
  readonly example: `@cors-examples/${string}`
  /** The load benchmark (packages/bench). */
  readonly bench: BenchEntry | NotCovered
  /**
   * The playground (`npm start`, examples/browser/src/playground.ts): the example's `createApp(options)`
   * on this port, moved by this environment variable.
   */
  readonly playground: { readonly port: number; readonly env: string } | NotCovered
  /**
   * `true`: the browser suite (examples/browser/src/servers.ts) and the doctor's Chromium agreement
   * (packages/doctor/test/chromium-servers.ts) start it with each policy. A `CoveredBy` with
   * `doctor: 'example'`: its policy is compiled into an app, so the doctor's agreement serves the
   * built example with the example's own policy.
   */
  readonly chromium: true | (CoveredBy & { readonly doctor?: 'example' }) | NotCovered
  /** `true`: the packed-tarball smoke test mounts it (packages/smoke/fixtures/packed-smoke.mjs). */
  readonly smoke: true | NotCovered
}

/** An adapter that is not an HTTP CORS middleware (WebSocket handshakes): its own tests, the packed smoke test. */
export interface HandshakeAdapter {
  readonly kind: 'websocket'
  readonly name: string
  readonly npm: `@cors/${string}`
  /** The example app, `examples/<name>`, or `null` when the package's README recipes are its examples. */
  readonly example: `@cors-examples/${string}` | null
  /** The servers whose hooks it guards that the packed smoke test installs beside it (at the version its tests use). */
  readonly servers: readonly string[]
  /** Browsers apply no CORS to WebSockets: the browser suite and the doctor's agreement are HTTP only. */
  readonly chromium: CoveredBy
  /** `true`: the packed-tarball smoke test packs and installs it, and opens sockets through it. */
  readonly smoke: true | NotCovered
  /** The handshake benchmark (packages/bench, `npm run bench`): the module of its variants' servers, and what they run on. */
  readonly bench: HandshakeBenchEntry | NotCovered
}

/** What the benchmark needs to time a WebSocket guard's handshakes next to no check and a hand-written minimum. */
export interface HandshakeBenchEntry {
  /** The module that starts each variant's server, from the repository root. */
  readonly module: `packages/bench/src/${string}.ts`
  /** The servers it runs on (their versions go in the report). */
  readonly runsOn: readonly string[]
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
    chromium: true,
    smoke: true,
    playground: { port: 3001, env: 'FASTIFY_PORT' },
  },
  {
    kind: 'http',
    name: 'koa',
    npm: '@cors/koa',
    framework: 'koa',
    example: '@cors-examples/koa',
    bench: { export: 'koa', runsOn: ['koa'], peer: '@koa/cors', peerPackage: '@koa/cors' },
    chromium: true,
    smoke: true,
    playground: { port: 3002, env: 'KOA_PORT' },
  },
  {
    kind: 'http',
    name: 'hono',
    npm: '@cors/hono',
    framework: 'hono',
    example: '@cors-examples/hono',
    bench: { export: 'hono', runsOn: ['hono', '@hono/node-server'], peer: 'hono/cors', peerPackage: 'hono' },
    chromium: true,
    smoke: true,
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
    chromium: true,
    smoke: true,
    playground: { port: 3004, env: 'FETCH_PORT' },
  },
  {
    kind: 'http',
    name: 'express',
    npm: '@cors/express',
    framework: 'express',
    example: '@cors-examples/express',
    bench: { export: 'express5', runsOn: ['express'], peer: 'cors', peerPackage: 'cors' },
    chromium: true,
    smoke: true,
    playground: { port: 3005, env: 'EXPRESS_PORT' },
  },
  {
    kind: 'http',
    name: 'next',
    npm: '@cors/next',
    framework: 'next',
    example: '@cors-examples/next',
    bench: {
      export: 'next',
      runsOn: ['next', '@hono/node-server'],
      peer: 'the middleware.ts recipe',
      peerPackage: 'next',
    },
    playground: { port: 3006, env: 'NEXT_PORT' },
    chromium: {
      coveredBy: 'examples/next/test/chromium.test.ts',
      why: 'a proxy only runs inside Next, whose policy is fixed when next build compiles proxy.ts, and the browser suite starts a server per scenario policy; that test drives the app next build made, served by next start (Next 16 proxy.ts and Next 15 middleware.ts), in Chromium',
      doctor: 'example',
    },
    smoke: true,
  },
  {
    kind: 'http',
    name: 'lambda',
    npm: '@cors/lambda',
    framework: null,
    example: '@cors-examples/lambda',
    bench: { export: 'lambda', runsOn: [], peer: '@middy/http-cors', peerPackage: '@middy/http-cors' },
    playground: { port: 3010, env: 'LAMBDA_PORT' },
    chromium: true,
    smoke: true,
  },
  {
    kind: 'http',
    name: 'h3',
    npm: '@cors/h3',
    framework: 'h3',
    example: '@cors-examples/h3',
    bench: { export: 'h3', runsOn: ['h3'], peer: 'h3 handleCors', peerPackage: 'h3' },
    playground: { port: 3007, env: 'H3_PORT' },
    chromium: true,
    smoke: true,
  },
  {
    kind: 'http',
    name: 'elysia',
    npm: '@cors/elysia',
    framework: 'elysia',
    example: '@cors-examples/elysia',
    bench: {
      export: 'elysia',
      runsOn: ['elysia', '@elysiajs/node'],
      peer: '@elysiajs/cors',
      peerPackage: '@elysiajs/cors',
    },
    playground: { port: 3008, env: 'ELYSIA_PORT' },
    chromium: true,
    smoke: true,
  },
  {
    kind: 'websocket',
    name: 'websocket',
    npm: '@cors/websocket',
    example: null,
    servers: ['ws'],
    bench: { module: 'packages/bench/src/handshakes/servers.ts', runsOn: ['ws'] },
    chromium: {
      coveredBy: 'packages/websocket/src/browser.test.ts',
      why: 'browsers apply no CORS to WebSockets, so the browser suite and the doctor (fetch only) have nothing to judge; that test opens new WebSocket() and a Socket.IO client from allowed and refused pages in Chromium against ws, Socket.IO, crossws on h3, @fastify/websocket and @hono/node-ws; the browser suite (examples/browser/src/protection.test.ts) also opens WebSockets from its allowed, cross-site and same-site pages through it on a ws server',
    },
    smoke: true,
  },
] as const satisfies readonly Adapter[]

type Listed = (typeof adapters)[number]
type Http = Extract<Listed, { kind: 'http' }>
export type AdapterName = Listed['name']
export type HttpAdapterName = Http['name']
// The names each tool runs: a `Record<…Name, …>` in that tool fails to compile when one is missing.
/** The adapters the benchmark runs. */
export type BenchAdapterName = Extract<Http, { bench: BenchEntry }>['name']
/** The adapters the playground starts. */
export type PlaygroundAdapterName = Extract<Http, { playground: { port: number } }>['name']
/** The adapters the browser suite and the doctor's Chromium agreement start. */
export type ChromiumAdapterName = Extract<Http, { chromium: true }>['name']
/** The adapters the doctor's Chromium agreement serves as their built example app. */
export type DoctorExampleName = Extract<Http, { chromium: { doctor: 'example' } }>['name']

/** The HTTP adapters, in list order. */
export const httpAdapters: readonly (HttpAdapter & { readonly name: HttpAdapterName })[] = adapters.filter(
  (adapter): adapter is Http => adapter.kind === 'http',
)
export const httpAdapterNames: readonly HttpAdapterName[] = httpAdapters.map((adapter) => adapter.name)

/** Whether a tool runs an adapter: its entry for the tool is not a `NotCovered`. */
export const covers = <T extends object | true>(entry: T | NotCovered): entry is T =>
  typeof entry !== 'object' || !('notCovered' in entry)

/** The benchmark's adapters, in list order, with their bench entry. */
export const benchAdapters: readonly { readonly name: BenchAdapterName; readonly bench: BenchEntry }[] =
  httpAdapters.flatMap((adapter) =>
    covers(adapter.bench) ? [{ name: adapter.name as BenchAdapterName, bench: adapter.bench }] : [],
  )
/** The playground's adapters, in list order, with their port. */
export const playgroundAdapters: readonly {
  readonly name: PlaygroundAdapterName
  readonly npm: string
  readonly port: number
  readonly env: string
}[] = httpAdapters.flatMap(({ name, npm, playground }) =>
  covers(playground) ? [{ name: name as PlaygroundAdapterName, npm, ...playground }] : [],
)
/** The adapters the browser suite and the doctor's Chromium agreement start, in list order. */
export const chromiumAdapters: readonly { readonly name: ChromiumAdapterName; readonly npm: string }[] =
  httpAdapters.flatMap(({ name, npm, chromium }) =>
    chromium === true ? [{ name: name as ChromiumAdapterName, npm }] : [],
  )
/** The adapters the doctor's Chromium agreement serves as their built example, in list order. */
export const doctorExamples: readonly {
  readonly name: DoctorExampleName
  readonly example: string
}[] = httpAdapters.flatMap(({ name, example, chromium }) =>
  typeof chromium === 'object' && 'doctor' in chromium ? [{ name: name as DoctorExampleName, example }] : [],
)
/** Whether another test runs Chromium for a tool: the entry names it. */
export const coveredBy = (entry: object | true): entry is CoveredBy =>
  typeof entry === 'object' && 'coveredBy' in entry
/** The WebSocket guards the benchmark times handshakes through, with their bench entry. */
export const benchHandshakes: readonly { readonly npm: string; readonly bench: HandshakeBenchEntry }[] =
  adapters.flatMap((adapter) =>
    adapter.kind === 'websocket' && covers(adapter.bench) ? [{ npm: adapter.npm, bench: adapter.bench }] : [],
  )
/** The adapters the packed-tarball smoke test mounts, in list order. */
export const smokeAdapters: readonly HttpAdapter[] = httpAdapters.filter((adapter) => covers(adapter.smoke))
/** The WebSocket guards the packed-tarball smoke test opens sockets through, with the servers it installs. */
export const smokeHandshakes: readonly HandshakeAdapter[] = adapters.filter(
  (adapter): adapter is Extract<Listed, { kind: 'websocket' }> =>
    adapter.kind === 'websocket' && covers(adapter.smoke),
)

/** The packages under `packages/` that are not adapters: published ones first. */
export const otherPackages = {
  published: ['core', 'doctor'],
  private: ['conformance', 'bench', 'smoke'],
} as const

/**
 * The apps under `examples/` that are not one adapter's example: the playground and browser suite, and
 * NestJS on `@cors/express` and `@cors/fastify` (the READMEs' NestJS blocks, in the conformance table
 * and Chromium).
 */
export const otherExamples = ['browser', 'nest'] as const

/** The folders under `packages/` the packed-tarball smoke test packs: the core, the adapters it covers, the doctor. */
export const packedPackages: readonly string[] = [
  'core',
  ...adapters.flatMap((adapter) => (covers(adapter.smoke) ? [adapter.name] : [])),
  'doctor',
]
