import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cors as ours } from '@cors/h3'
import { H3, type H3Event, handleCors, type Middleware, toNodeHandler } from 'h3'
import { corsOptions, handWritten, path, payload, totalCount } from '../policy.ts'
import type { Framework, Listening } from './types.ts'

// The application: GET /data, a plain value h3 serializes, with a header prepared on event.res.
function dataRoute(event: H3Event): unknown {
  event.res.headers.set('x-total-count', totalCount)
  return payload
}

// The hand-written minimum: preflights answered at once; other requests get the static headers
// prepared on event.res before the route, which h3 merges into the response it builds.
const handWrittenCors: Middleware = (event, next) => {
  const origin = event.req.headers.get('origin')
  if (origin === null || !handWritten.allowed.has(origin)) {
    event.res.headers.set('vary', 'Origin')
    return next()
  }
  if (event.req.method === 'OPTIONS' && event.req.headers.has('access-control-request-method'))
    return new Response(null, {
      status: 204,
      headers: { ...handWritten.preflight, 'access-control-allow-origin': origin },
    })
  const headers = event.res.headers
  headers.set('access-control-allow-origin', origin)
  for (const name in handWritten.actual)
    headers.set(name, handWritten.actual[name as keyof typeof handWritten.actual])
  return next()
}

// h3's own handleCors as its docs wire it: a middleware that answers preflights and otherwise goes on.
function peerCors(): Middleware {
  const options = {
    origin: [...corsOptions.origin],
    methods: [...corsOptions.methods],
    allowHeaders: [...corsOptions.allowedHeaders],
    exposeHeaders: [...corsOptions.exposedHeaders],
    credentials: true,
    maxAge: String(corsOptions.maxAge),
  }
  return (event) => {
    const answered = handleCors(event, options)
    return answered === false ? undefined : answered
  }
}

// Served on Node through srvx's node adapter (what h3's serve() and Nitro use).
function listen(port: number, cors?: Middleware): Promise<Listening> {
  const app = new H3()
  if (cors !== undefined) app.use(cors)
  app.get(path, dataRoute)
  const server = createServer(toNodeHandler(app))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    )
  })
}

export const h3: Framework = {
  name: 'h3',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, handWrittenCors),
    peer: (port) => listen(port, peerCors()),
    ours: (port) => listen(port, ours(corsOptions)),
  },
}
