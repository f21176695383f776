import type { AddressInfo } from 'node:net'
import { cors as ours } from '@cors/koa'
import peer from '@koa/cors'
import Koa from 'koa'
import { corsOptions, handWritten, path, payload, totalCount } from '../policy.ts'
import type { Framework, Listening } from './types.ts'

// The application: GET /data, anything else falls through to Koa's 404.
function dataRoute(ctx: Koa.Context): void {
  if (ctx.method !== 'GET' || ctx.path !== path) return
  ctx.set('x-total-count', totalCount)
  ctx.body = payload
}

// The hand-written minimum: static headers for a known origin, preflights answered at once.
async function handWrittenCors(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  const origin = ctx.get('origin')
  if (!handWritten.allowed.has(origin)) {
    ctx.set('vary', 'Origin')
    return next()
  }
  ctx.set('access-control-allow-origin', origin)
  if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') !== '') {
    ctx.set(handWritten.preflight)
    ctx.status = 204
    return
  }
  ctx.set(handWritten.actual)
  return next()
}

// @koa/cors takes one origin or a function: the function is how its users allow a list.
function peerCors(): Koa.Middleware {
  return peer({
    origin: function allowListed(ctx) {
      const origin = ctx.get('origin')
      return handWritten.allowed.has(origin) ? origin : ''
    },
    allowMethods: [...corsOptions.methods],
    allowHeaders: [...corsOptions.allowedHeaders],
    exposeHeaders: [...corsOptions.exposedHeaders],
    credentials: true,
    maxAge: corsOptions.maxAge,
  })
}

function listen(port: number, cors?: Koa.Middleware): Promise<Listening> {
  const koa = new Koa()
  if (cors !== undefined) koa.use(cors)
  koa.use(dataRoute)
  return new Promise((resolve, reject) => {
    const server = koa.listen(port, '127.0.0.1')
    server.once('error', reject)
    server.once('listening', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
  })
}

export const koa: Framework = {
  name: 'koa',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, handWrittenCors),
    peer: (port) => listen(port, peerCors()),
    ours: (port) => listen(port, ours(corsOptions)),
  },
}
