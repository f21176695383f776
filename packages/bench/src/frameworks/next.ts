/**
 * @cors/next's proxy next to no CORS, a hand-written minimum and the middleware recipe Next.js users
 * copy today (an allow-list `includes`, every OPTIONS answered, static headers on
 * `NextResponse.next()`), each in front of a route handler serving GET /data.
 *
 * A Next.js server is a `next build` plus `next start`, so the proxy and the route are composed in
 * process the way `next start` composes them (`throughNext` from packages/next/test/app.ts: the
 * proxy's headers first, the route's added where the proxy set none, `Vary` appended). Two measures:
 * - `next` (a `Framework`): each variant served over HTTP by @hono/node-server, for the load benchmark;
 * - `measureInProcess()`: the proxy and route called directly, in nanoseconds per request, which is
 *   what a CORS layer adds to each request in a Next app. Run it with `npx tsx src/frameworks/next.ts`
 *   (prints a markdown table).
 */
import { pathToFileURL } from 'node:url'
import { cors } from '@cors/next'
import { type NextFetchEvent, NextRequest, NextResponse } from 'next/server'
import { throughNext } from '../../../next/test/app.ts'
import { corsOptions, handWritten, type Kind, path, payloadJson, requests, totalCount } from '../policy.ts'
import { type Figures, fastestLoops, printInProcess, verifyKinds } from './in-process.ts'
import { serveFetch } from './serve-fetch.ts'
import { type Framework, type Variant, variants } from './types.ts'

type Proxy = (request: NextRequest, event: NextFetchEvent) => Response | Promise<Response>

// The route file: GET /data answers the list; Next answers any other path or method itself (a 404).
async function dataRoute(request: NextRequest): Promise<Response> {
  if (request.method !== 'GET' || request.nextUrl.pathname !== path)
    return new Response(null, { status: 404 })
  return new Response(payloadJson, {
    headers: { 'content-type': 'application/json', 'x-total-count': totalCount },
  })
}

// The hand-written minimum: preflights answered at once, static headers on NextResponse.next().
function handWrittenProxy(request: NextRequest): Response {
  const origin = request.headers.get('origin')
  if (origin === null || !handWritten.allowed.has(origin))
    return NextResponse.next({ headers: { vary: 'Origin' } })
  if (request.method === 'OPTIONS' && request.headers.get('access-control-request-method') !== null) {
    return new Response(null, {
      status: 204,
      headers: { ...handWritten.preflight, 'access-control-allow-origin': origin },
    })
  }
  return NextResponse.next({ headers: { ...handWritten.actual, 'access-control-allow-origin': origin } })
}

// The recipe most Next.js apps carry in middleware.ts: the allowed origin echoed when listed, every
// OPTIONS answered 200 with the static headers, the same static headers on every other response.
const recipeHeaders = {
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': corsOptions.methods.join(', '),
  'access-control-allow-headers': corsOptions.allowedHeaders.join(', '),
  'access-control-expose-headers': corsOptions.exposedHeaders.join(', '),
  'access-control-max-age': String(corsOptions.maxAge),
}
function recipeProxy(request: NextRequest): Response {
  const origin = request.headers.get('origin') ?? ''
  const allowed = corsOptions.origin.includes(origin)
  if (request.method === 'OPTIONS') {
    return NextResponse.json(
      {},
      { headers: { ...(allowed && { 'access-control-allow-origin': origin }), ...recipeHeaders } },
    )
  }
  const response = NextResponse.next()
  if (allowed) response.headers.set('access-control-allow-origin', origin)
  for (const [name, value] of Object.entries(recipeHeaders)) response.headers.set(name, value)
  return response
}

/** The four variants as Next proxies. */
export const proxies: Record<Variant, () => Proxy> = {
  none: () => () => NextResponse.next(),
  'hand-written': () => handWrittenProxy,
  peer: () => recipeProxy,
  ours: () => cors(corsOptions),
}

/** One variant as a Fetch handler: the proxy, then the route, composed as `next start` does. */
export const app = (variant: Variant): ((request: Request) => Promise<Response>) => {
  const proxy = proxies[variant]()
  // Built from the URL, method and headers, as next start builds it from Node's request (and since
  // @hono/node-server's light Request is not one undici's constructor copies).
  return (request) =>
    throughNext(
      proxy,
      dataRoute,
      new NextRequest(request.url, { method: request.method, headers: request.headers }),
    )
}

export const next: Framework = {
  name: 'next',
  start: {
    none: (port) => serveFetch(app('none'), port),
    'hand-written': (port) => serveFetch(app('hand-written'), port),
    peer: (port) => serveFetch(app('peer'), port),
    ours: (port) => serveFetch(app('ours'), port),
  },
}

const url = `http://api.test${path}`
const request = (kind: Kind) => new NextRequest(url, requests[kind])

/** The policy's checks on one variant's responses (the same as the load benchmark's, via policy.ts). */
export async function verifyInProcess(variant: Variant): Promise<string[]> {
  const handler = app(variant)
  return verifyKinds(async (kind) => {
    const response = await handler(request(kind))
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }
  }, variant === 'none')
}

/**
 * Nanoseconds per request, per variant and request kind, for the proxy and the route composed as
 * `next start` composes them (the request object built outside the timed loop, as Next builds it
 * before the proxy runs): the fastest of `rounds` loops of `calls` requests, after a warm-up.
 */
export async function measureInProcess(rounds = 7, calls = 5_000): Promise<Figures> {
  const built = Object.fromEntries(variants.map((variant) => [variant, proxies[variant]()])) as Record<
    Variant,
    Proxy
  >
  return fastestLoops(rounds, calls, (variant, kind) => {
    const proxy = built[variant]
    const req = request(kind)
    return () => throughNext(proxy, dataRoute, req)
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await printInProcess(verifyInProcess, measureInProcess)
