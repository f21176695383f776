import { once } from 'node:events'
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ChromiumAdapterName, chromiumAdapters } from '@cors/conformance/adapters'
import { cors as elysiaCors } from '@cors/elysia'
import { cors as expressCors } from '@cors/express'
import { cors as fastifyCors } from '@cors/fastify'
import { withCors } from '@cors/fetch'
import { cors as h3Cors } from '@cors/h3'
import { cors as honoCors } from '@cors/hono'
import { type CorsOptions, cors as koaCors } from '@cors/koa'
import { withCors as lambdaCors } from '@cors/lambda'
import { bridge } from '@cors-examples/lambda/bridge'
import { node } from '@elysiajs/node'
import { createAdaptorServer } from '@hono/node-server'
import Router from '@koa/router'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Elysia } from 'elysia'
import express, { type ErrorRequestHandler } from 'express'
import express4 from 'express4'
import Fastify from 'fastify'
import { H3, HTTPError, toNodeHandler } from 'h3'
import { Hono } from 'hono'
import Koa from 'koa'

// Real HTTP servers for the browser suite: the same small API in each framework, with the policy under
// test. Every request is recorded at the socket level (before any framework code runs), so a test sees
// what the browser actually sent: a preflight answered from Chromium's cache never reaches the log.

/** One request the server received, and the status it answered with. */
export interface Exchange {
  readonly method: string
  readonly path: string
  status: number | null
}

export interface TestServer {
  /** `http://api.example.test:<port>`: the host is mapped to 127.0.0.1 in the browser. */
  readonly origin: string
  /** Every request received so far, in order. */
  readonly exchanges: readonly Exchange[]
  /** The `reason` of every rejection the adapter reported through `onReject`, in order. */
  readonly rejections: readonly string[]
  /** How many `method path` requests arrived (`path` without the query string). */
  count(method: string, path: string): number
  /** Resolves once every request received so far has been answered. */
  settled(): Promise<void>
  close(): Promise<void>
}

export type StartServer = (options: CorsOptions) => Promise<TestServer>

/** The response headers of `/data`: one to expose, one to keep from the page. */
export const dataHeaders = { 'x-total-count': '3', 'x-secret': 'hunter2' } as const
/** The methods `/data` answers. */
export const dataMethods = ['GET', 'POST', 'PUT', 'PATCH'] as const

const apiHost = 'api.example.test'

// The policy under test gets an onReject hook that records the reason, whatever the scenario set.
function withRecorder(options: CorsOptions, rejections: string[]): CorsOptions {
  return {
    ...options,
    onReject: (rejection, context) => {
      rejections.push(rejection.reason)
      options.onReject?.(rejection, context)
    },
  } as CorsOptions
}

async function serve(server: Server, rejections: string[], listen: () => Promise<void>): Promise<TestServer> {
  const exchanges: Exchange[] = []
  const pending = new Set<Promise<void>>()
  server.on('request', (req: IncomingMessage, res) => {
    const exchange: Exchange = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      status: null,
    }
    exchanges.push(exchange)
    const done = new Promise<void>((resolve) => {
      res.once('close', () => {
        exchange.status = res.statusCode
        resolve()
      })
    })
    pending.add(done)
    void done.then(() => pending.delete(done))
  })
  await listen()
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://${apiHost}:${port}`,
    exchanges,
    rejections,
    count: (method, path) => exchanges.filter((e) => e.method === method && e.path === path).length,
    settled: async () => {
      await Promise.all(pending)
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

function listenOn(server: Server): () => Promise<void> {
  return async () => {
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
  }
}

/** Fastify 5 with `@cors/fastify`, registered before the routes. */
export const startFastify: StartServer = async (options) => {
  const rejections: string[] = []
  const app = Fastify()
  await app.register(fastifyCors, withRecorder(options, rejections))
  app.route({
    method: [...dataMethods],
    url: '/data',
    handler: async (request, reply) => {
      reply.headers(dataHeaders)
      return { framework: 'fastify', method: request.method }
    },
  })
  app.get('/error', async () => {
    throw new Error('the error route failed, as it should')
  })
  return serve(app.server, rejections, async () => {
    await app.listen({ host: '127.0.0.1', port: 0 })
  })
}

/** Koa 3 and `@koa/router`, with `@cors/koa` first. */
export const startKoa: StartServer = async (options) => {
  const rejections: string[] = []
  const app = new Koa()
  app.silent = true // the /error route throws on purpose: keep Koa from logging it
  app.use(koaCors(withRecorder(options, rejections)))
  const router = new Router()
  router.register('/data', [...dataMethods], (ctx) => {
    ctx.set(dataHeaders)
    ctx.body = { framework: 'koa', method: ctx.method }
  })
  router.get('/error', () => {
    throw new Error('the error route failed, as it should')
  })
  app.use(router.routes()).use(router.allowedMethods())
  const server = createServer(app.callback())
  return serve(server, rejections, listenOn(server))
}

// @hono/node-server replaces the global Request and Response by default, for the whole process. Every
// server of this file shares that process, and h3 2 then breaks on its own: its error answers (a thrown
// HTTPError, a 404) are srvx Responses built on the native class, which h3 checks with `instanceof` the
// current global, and so sends as the text "[object Response]" with status 200. The globals stay native.
const honoServer = (fetch: (request: Request) => Response | Promise<Response>): Server =>
  createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server

/** Hono 4 on `@hono/node-server`, with `@cors/hono` on every path. */
export const startHono: StartServer = async (options) => {
  const rejections: string[] = []
  const app = new Hono()
  app.use('*', honoCors(withRecorder(options, rejections)))
  app.on([...dataMethods], '/data', (c) =>
    c.json({ framework: 'hono', method: c.req.method }, 200, dataHeaders),
  )
  app.get('/error', () => {
    throw new Error('the error route failed, as it should')
  })
  app.onError((_error, c) => c.json({ error: 'internal error' }, 500))
  const server = honoServer(app.fetch)
  return serve(server, rejections, listenOn(server))
}

/** A plain Web Fetch handler wrapped with `withCors`, served by `@hono/node-server`. */
export const startFetch: StartServer = async (options) => {
  const rejections: string[] = []
  const handler = (request: Request): Response => {
    const { pathname } = new URL(request.url)
    if (pathname === '/data' && (dataMethods as readonly string[]).includes(request.method)) {
      return Response.json({ framework: 'fetch', method: request.method }, { headers: dataHeaders })
    }
    if (pathname === '/error') throw new Error('the error route failed, as it should')
    return Response.json({ error: 'not found' }, { status: 404 })
  }
  const fetch = withCors(handler, {
    ...withRecorder(options, rejections),
    onError: () => Response.json({ error: 'internal error' }, { status: 500 }),
  } as Parameters<typeof withCors>[1])
  const server = honoServer(fetch)
  return serve(server, rejections, listenOn(server))
}

/** Express (5, or 4 through the `express4` alias) with `@cors/express` first, and an error handler that answers 500. */
const expressServer =
  (createApp: typeof express): StartServer =>
  async (options) => {
    const rejections: string[] = []
    const app = createApp()
    app.use(expressCors(withRecorder(options, rejections)))
    app.route('/data').all((req, res, next) => {
      if (!(dataMethods as readonly string[]).includes(req.method)) return next()
      res.set(dataHeaders).json({ framework: 'express', method: req.method })
    })
    app.get('/error', () => {
      throw new Error('the error route failed, as it should')
    })
    app.use(((_error, _req, res, _next) => {
      res.status(500).json({ error: 'internal error' })
    }) as ErrorRequestHandler)
    const server = createServer(app)
    return serve(server, rejections, listenOn(server))
  }

export const startExpress: StartServer = expressServer(express)
export const startExpress4: StartServer = expressServer(express4)

/** h3 2 with `@cors/h3` first, on srvx's Node handler (what h3's serve() uses). */
export const startH3: StartServer = async (options) => {
  const rejections: string[] = []
  const app = new H3({ silent: true }).use(h3Cors(withRecorder(options, rejections) as never))
  for (const method of dataMethods)
    app.on(method, '/data', (event) => {
      for (const [name, value] of Object.entries(dataHeaders)) event.res.headers.set(name, value)
      return { framework: 'h3', method: event.req.method }
    })
  app.get('/error', () => {
    throw new HTTPError({ status: 500, message: 'the error route failed, as it should' })
  })
  const server = createServer(toNodeHandler(app))
  return serve(server, rejections, listenOn(server))
}

/** Elysia with `@cors/elysia` first, on Node through `@elysiajs/node`. */
export const startElysia: StartServer = async (options) => {
  const rejections: string[] = []
  const data = ({
    request,
    set,
  }: {
    request: Request
    set: { headers: Record<string, string | number> }
  }) => {
    Object.assign(set.headers, dataHeaders)
    return { framework: 'elysia', method: request.method }
  }
  const app = new Elysia({ adapter: node() })
    .use(elysiaCors(withRecorder(options, rejections) as never))
    .get('/data', data)
    .post('/data', data)
    .put('/data', data)
    .patch('/data', data)
    .get('/error', () => {
      throw new Error('the error route failed, as it should')
    })
  // The adapter creates the Node server itself: it is recorded from there on, before any request.
  const server = await new Promise<Server>((resolve) =>
    app.listen({ port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve((info as unknown as { raw: { node: { server: Server } } }).raw.node.server)
    }),
  )
  return serve(server, rejections, async () => {
    if (!server.listening) await once(server, 'listening')
  })
}

/** AWS Lambda with `@cors/lambda`: a Function URL handler behind examples/lambda's HTTP -> event bridge. */
export const startLambda: StartServer = async (options) => {
  const rejections: string[] = []
  const handler = lambdaCors(
    async (event: APIGatewayProxyEventV2) => {
      const { method } = event.requestContext.http
      if (event.rawPath === '/data' && (dataMethods as readonly string[]).includes(method))
        return {
          statusCode: 200,
          headers: { ...dataHeaders, 'content-type': 'application/json' },
          body: JSON.stringify({ framework: 'lambda', method }),
        }
      if (event.rawPath === '/error') throw new Error('the error route failed, as it should')
      return { statusCode: 404, body: '' }
    },
    {
      ...(withRecorder(options, rejections) as object),
      onError: () => ({ statusCode: 500, body: JSON.stringify({ error: 'internal error' }) }),
    },
  )
  const server = createServer(bridge(handler, 'function-url'))
  return serve(server, rejections, listenOn(server))
}

const starters = {
  fastify: startFastify,
  koa: startKoa,
  hono: startHono,
  fetch: startFetch,
  express: startExpress,
  h3: startH3,
  elysia: startElysia,
  lambda: startLambda,
} satisfies Record<ChromiumAdapterName, StartServer>

/** The adapters of the one list (`@cors/conformance/adapters`) the Chromium suites run, by package name; Express in both majors. */
export const adapters: readonly { readonly name: string; readonly start: StartServer }[] = [
  ...chromiumAdapters.map((adapter) => ({ name: adapter.npm, start: starters[adapter.name] })),
  { name: '@cors/express on Express 4', start: startExpress4 },
]

/** The origins test pages are served from. Their hosts are mapped to 127.0.0.1 in the browser. */
export interface PageOrigins {
  /** `http://app.example.test:<port>`, the application's own origin. */
  readonly app: string
  /** `http://sub.app.example.test:<port>`, a subdomain of it. */
  readonly sub: string
  /** `http://evil.example.test:<port>`, a site the policies never allow. */
  readonly evil: string
}

/**
 * A blank HTML page on one port, reachable under the three page hosts, so `page.evaluate` can run a
 * `fetch()` from each origin. Any path answers the same page.
 */
export async function startPageServer(): Promise<{ origins: PageOrigins; close(): Promise<void> }> {
  const listener: RequestListener = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><meta charset="utf-8"><title>test page</title>')
  }
  const server = createServer(listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    origins: {
      app: `http://app.example.test:${port}`,
      sub: `http://sub.app.example.test:${port}`,
      evil: `http://evil.example.test:${port}`,
    },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
