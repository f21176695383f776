import { cors as ours } from '@cors/hono'
import { type Context, Hono, type MiddlewareHandler, type Next } from 'hono'
import { cors as peer } from 'hono/cors'
import { corsOptions, handWritten, path, payload, totalCount } from '../policy.ts'
import { serveFetch } from './serve-fetch.ts'
import type { Framework } from './types.ts'

// The application: GET /data.
function dataRoute(c: Context): Response {
  return c.json(payload, 200, { 'x-total-count': totalCount })
}

// The hand-written minimum: preflights answered at once; other responses get the static headers
// after next(), written into c.res.headers, which keeps @hono/node-server on its fast path (c.header()
// after next() would rebuild the response).
async function handWrittenCors(c: Context, next: Next): Promise<Response | undefined> {
  const origin = c.req.header('origin')
  if (origin === undefined || !handWritten.allowed.has(origin)) {
    await next()
    c.res.headers.set('vary', 'Origin')
    return
  }
  if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined)
    return c.body(null, 204, { ...handWritten.preflight, 'access-control-allow-origin': origin })
  await next()
  const headers = c.res.headers
  headers.set('access-control-allow-origin', origin)
  for (const name in handWritten.actual)
    headers.set(name, handWritten.actual[name as keyof typeof handWritten.actual])
  return
}

function peerCors(): MiddlewareHandler {
  return peer({
    origin: [...corsOptions.origin],
    allowMethods: [...corsOptions.methods],
    allowHeaders: [...corsOptions.allowedHeaders],
    exposeHeaders: [...corsOptions.exposedHeaders],
    credentials: true,
    maxAge: corsOptions.maxAge,
  })
}

function app(cors?: MiddlewareHandler): Hono {
  const hono = new Hono()
  if (cors !== undefined) hono.use('*', cors)
  hono.get(path, dataRoute)
  return hono
}

export const hono: Framework = {
  name: 'hono',
  start: {
    none: (port) => serveFetch(app().fetch, port),
    'hand-written': (port) => serveFetch(app(handWrittenCors).fetch, port),
    peer: (port) => serveFetch(app(peerCors()).fetch, port),
    ours: (port) => serveFetch(app(ours(corsOptions)).fetch, port),
  },
}
