import { cors as ours } from '@cors/elysia'
import { cors as peer } from '@elysiajs/cors'
import { node } from '@elysiajs/node'
import { Elysia } from 'elysia'
import { corsOptions, handWritten, path, payload, totalCount } from '../policy.ts'
import type { Framework, Listening } from './types.ts'

type Plugin = Parameters<Elysia['use']>[0]

// The hand-written minimum, as an Elysia plugin: preflights answered in onRequest; other requests get
// the static headers on set.headers, which Elysia writes into every response it builds.
function handWrittenCors() {
  return new Elysia({ name: 'hand-written-cors' }).onRequest(({ request, set }) => {
    const origin = request.headers.get('origin')
    if (origin === null || !handWritten.allowed.has(origin)) {
      set.headers.vary = 'Origin'
      return
    }
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      Object.assign(set.headers, handWritten.preflight, { 'access-control-allow-origin': origin })
      return new Response(null, { status: 204 })
    }
    Object.assign(set.headers, handWritten.actual, { 'access-control-allow-origin': origin })
    return
  })
}

// @elysiajs/cors with the same policy, as its README configures it.
function peerCors(): Plugin {
  return peer({
    origin: [...corsOptions.origin],
    methods: [...corsOptions.methods],
    allowedHeaders: [...corsOptions.allowedHeaders],
    exposeHeaders: [...corsOptions.exposedHeaders],
    credentials: true,
    maxAge: corsOptions.maxAge,
  })
}

// Served on Node through @elysiajs/node, as Elysia runs outside Bun. The adapter reports the port it
// was asked for, so the real one is read from the Node server underneath.
function listen(port: number, cors?: Plugin): Promise<Listening> {
  let app = new Elysia({ adapter: node() })
  if (cors !== undefined) app = app.use(cors) as unknown as typeof app
  app.get(path, ({ set }) => {
    set.headers['x-total-count'] = totalCount
    return payload
  })
  return new Promise((resolve) => {
    app.listen({ port, hostname: '127.0.0.1' }, (server) => {
      const raw = (server as unknown as { raw: { node?: { server?: import('node:http').Server } } }).raw
      const nodeServer = raw.node?.server
      const ready = () => {
        const address = nodeServer?.address()
        resolve({
          port: typeof address === 'object' && address !== null ? address.port : port,
          close: () => new Promise<void>((done) => nodeServer?.close(() => done()) ?? done()),
        })
      }
      if (nodeServer?.listening) ready()
      else nodeServer?.once('listening', ready)
    })
  })
}

export const elysia: Framework = {
  name: 'elysia',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, handWrittenCors()),
    peer: (port) => listen(port, peerCors()),
    ours: (port) => listen(port, ours(corsOptions)),
  },
}
