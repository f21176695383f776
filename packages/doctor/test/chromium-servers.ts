import { once } from 'node:events'
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  request,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ChromiumAdapterName, DoctorExampleName } from '@cors/conformance/adapters'
import type { CorsOptions } from '@cors/core'
import { cors as elysiaCors } from '@cors/elysia'
import { cors as expressCors } from '@cors/express'
import { cors as fastifyCors } from '@cors/fastify'
import { withCors } from '@cors/fetch'
import { cors as h3Cors } from '@cors/h3'
import { cors as honoCors } from '@cors/hono'
import { cors as koaCors } from '@cors/koa'
import { withCors as lambdaCors } from '@cors/lambda'
import { bridge } from '@cors-examples/lambda/bridge'
import { apps, build, start } from '@cors-examples/next/src/apps.ts'
import { createAdaptorServer } from '@hono/node-server'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Elysia } from 'elysia'
import express from 'express'
import Fastify from 'fastify'
import { H3, toNodeHandler } from 'h3'
import { Hono } from 'hono'
import Koa from 'koa'

// Servers for the Chromium agreement suite, all on 127.0.0.1: one per adapter with a realistic
// policy, and one hand-written server whose first path segment picks a deliberate mistake. Every
// request is logged at the socket, so the suite sees whether Chromium sent a preflight.

/** The application's own response headers: one a policy exposes, one it keeps from the page. */
export const appHeaders: Readonly<Record<string, string>> = { 'x-total-count': '3', 'x-secret': 'hunter2' }

export interface LoggedServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** `METHOD path` of every request received, in order. */
  readonly log: string[]
  close(): Promise<void>
}

async function serve(server: Server): Promise<LoggedServer> {
  const log: string[] = []
  server.prependListener('request', (req: IncomingMessage) => log.push(`${req.method} ${req.url}`))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** Starts one adapter with `options`; the application answers every path and method 200. */
export type StartAdapter = (options: CorsOptions) => Promise<LoggedServer>

const body = (method: string) => JSON.stringify({ ok: true, method })

/** One server per HTTP adapter of the one list (`@cors/conformance/adapters`). */
export const adapters: Readonly<Record<ChromiumAdapterName, StartAdapter>> = {
  fastify: async (options) => {
    const app = Fastify()
    await app.register(fastifyCors, options as never)
    app.all('/*', async (request, reply) =>
      reply.headers(appHeaders).type('application/json').send(body(request.method)),
    )
    await app.ready()
    return serve(app.server)
  },
  koa: async (options) => {
    const app = new Koa()
    app.use(koaCors(options as never))
    app.use((ctx) => {
      ctx.set(appHeaders)
      ctx.type = 'application/json'
      ctx.body = body(ctx.method)
    })
    return serve(createServer(app.callback()))
  },
  hono: async (options) => {
    const app = new Hono()
    app.use('*', honoCors(options as never))
    app.all('*', (c) => c.json({ ok: true, method: c.req.method }, 200, appHeaders))
    return serve(createAdaptorServer({ fetch: app.fetch }) as Server)
  },
  fetch: async (options) => {
    const handler = (request: Request) =>
      new Response(body(request.method), { headers: { ...appHeaders, 'content-type': 'application/json' } })
    return serve(createAdaptorServer({ fetch: withCors(handler, options as never) }) as Server)
  },
  express: async (options) => {
    const app = express()
    app.use(expressCors(options as never))
    app.use((req, res) => {
      res.set(appHeaders).type('application/json').send(body(req.method))
    })
    return serve(createServer(app))
  },
  h3: async (options) => {
    const app = new H3().use(h3Cors(options as never))
    app.all('/**', (event) => {
      for (const [name, value] of Object.entries(appHeaders)) event.res.headers.set(name, value)
      return { ok: true, method: event.req.method }
    })
    return serve(createServer(toNodeHandler(app)))
  },
  // Elysia's handle() is a Fetch handler: served like Hono's, on Node.
  elysia: async (options) => {
    const app = new Elysia().use(elysiaCors(options as never)).all('/*', ({ request, set }) => {
      Object.assign(set.headers, appHeaders)
      return { ok: true, method: request.method }
    })
    return serve(createAdaptorServer({ fetch: app.handle }) as Server)
  },
  // A Function URL handler behind examples/lambda's HTTP -> event bridge.
  lambda: async (options) => {
    const handler = async (event: APIGatewayProxyEventV2) => ({
      statusCode: 200,
      headers: { ...appHeaders, 'content-type': 'application/json' },
      body: body(event.requestContext.http.method),
    })
    return serve(createServer(bridge(lambdaCors(handler, options as never), 'function-url')))
  },
}

/**
 * examples/next as `next build` made it (built first when stale, as its own tests do), served by
 * `next start` with the example's own policy (lib/cors.ts: `http://localhost:*` allowed, credentials,
 * Content-Type and Authorization, crossOriginProtection). Next answers from its own process, so the
 * log is kept by a pass-through one hop before it, which copies requests and responses unchanged.
 */
async function startBuiltNext(): Promise<LoggedServer> {
  await build(apps.next16)
  const next = await start(apps.next16)
  const server = createServer((req, res) => {
    const options = {
      host: '127.0.0.1',
      port: next.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    }
    const upstream = request(options, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  const logged = await serve(server)
  return {
    ...logged,
    close: async () => {
      await logged.close()
      await next.stop()
    },
  }
}

/** The adapters whose policy is compiled into an app: their built example, by name in the list. */
export const examples: Readonly<Record<DoctorExampleName, () => Promise<LoggedServer>>> = {
  next: startBuiltNext,
}

type Mistake = (req: IncomingMessage, res: ServerResponse, origin: string) => void

const preflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
const reply = (res: ServerResponse, status: number, headers: Record<string, string | string[]>) => {
  res.writeHead(status, { 'content-type': 'application/json', ...appHeaders, ...headers }).end('{}')
}
/** A correct preflight answer for what was asked, to build the mistakes on. */
const allowAsked = (req: IncomingMessage, origin: string): Record<string, string> => ({
  'access-control-allow-origin': origin,
  'access-control-allow-methods': String(req.headers['access-control-request-method']),
  'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? ''),
})
/** Answers the preflight with `pre` and the actual request with `actual`. */
const both =
  (
    pre: (req: IncomingMessage, origin: string) => Record<string, string | string[]>,
    actual: Mistake,
  ): Mistake =>
  (req, res, origin) =>
    preflight(req) ? reply(res, 204, pre(req, origin)) : actual(req, res, origin)
const actualWith =
  (headers: (origin: string) => Record<string, string | string[]>): Mistake =>
  (_req, res, origin) =>
    reply(res, 200, headers(origin))
const creds = { 'access-control-allow-credentials': 'true' }

/** Hand-written servers that get CORS wrong, by the first path segment. `origin` is the request's. */
export const mistakes: Readonly<Record<string, Mistake>> = {
  'no-acac': both(
    allowAsked,
    actualWith((o) => ({ 'access-control-allow-origin': o })),
  ),
  'star-with-credentials': both(
    (req) => ({ ...allowAsked(req, '*'), ...creds }),
    actualWith(() => ({ 'access-control-allow-origin': '*', ...creds })),
  ),
  'trailing-slash': both(
    (req, o) => allowAsked(req, `${o}/`),
    actualWith((o) => ({ 'access-control-allow-origin': `${o}/` })),
  ),
  'two-acao': both(
    (req, o) => ({ ...allowAsked(req, o), 'access-control-allow-origin': [o, o] }),
    actualWith((o) => ({ 'access-control-allow-origin': [o, o] })),
  ),
  'acah-content-type-only': both(
    (req, o) => ({ ...allowAsked(req, o), 'access-control-allow-headers': 'content-type' }),
    actualWith((o) => ({ 'access-control-allow-origin': o })),
  ),
  'preflight-302': (req, res, o) =>
    preflight(req)
      ? reply(res, 302, { ...allowAsked(req, o), location: '/elsewhere' })
      : reply(res, 200, { 'access-control-allow-origin': o }),
  'preflight-401': (req, res, o) =>
    preflight(req)
      ? reply(res, 401, allowAsked(req, o))
      : reply(res, 200, { 'access-control-allow-origin': o }),
  'preflight-401-bare': (req, res, o) =>
    preflight(req) ? reply(res, 401, {}) : reply(res, 200, { 'access-control-allow-origin': o }),
  'acac-capital': both(
    (req, o) => ({ ...allowAsked(req, o), 'access-control-allow-credentials': 'True' }),
    actualWith((o) => ({ 'access-control-allow-origin': o, 'access-control-allow-credentials': 'True' })),
  ),
  'methods-upper': both(
    (req, o) => ({ ...allowAsked(req, o), 'access-control-allow-methods': 'PATCH, PUT' }),
    actualWith((o) => ({ 'access-control-allow-origin': o })),
  ),
  'all-stars': both(
    (_req, o) => ({
      'access-control-allow-origin': o,
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
      ...creds,
    }),
    actualWith((o) => ({ 'access-control-allow-origin': o, 'access-control-expose-headers': '*', ...creds })),
  ),
  'methods-invalid': both(
    (req, o) => ({ ...allowAsked(req, o), 'access-control-allow-methods': 'PUT;DELETE' }),
    actualWith((o) => ({ 'access-control-allow-origin': o })),
  ),
  'origin-upper': actualWith((o) => ({ 'access-control-allow-origin': o.toUpperCase() })),
  'redirect-same': (req, res, o) =>
    req.url?.includes('/target')
      ? reply(res, 200, { 'access-control-allow-origin': o })
      : reply(res, 302, { 'access-control-allow-origin': o, location: `${req.url}/target` }),
  'redirect-bare': (req, res, o) =>
    req.url?.includes('/target')
      ? reply(res, 200, { 'access-control-allow-origin': o })
      : reply(res, 302, { location: `${req.url}/target` }),
  'preflight-200-no-methods': both(
    (req, o) => ({
      'access-control-allow-origin': o,
      'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? ''),
    }),
    actualWith((o) => ({ 'access-control-allow-origin': o })),
  ),
}

/** The hand-written server: `/<mistake>/...` picks the mistake; any other path answers 404 bare. */
export function startMistakes(redirectTo: () => string): Promise<LoggedServer> {
  const listener: RequestListener = (req, res) => {
    const origin = String(req.headers.origin ?? '')
    const name = (req.url ?? '/').split('/')[1] ?? ''
    if (name === 'redirect-cross') {
      reply(res, 307, { 'access-control-allow-origin': origin, location: `${redirectTo()}${req.url}` })
      return
    }
    const mistake = mistakes[name]
    if (mistake === undefined) reply(res, 404, {})
    else mistake(req, res, origin)
  }
  return serve(createServer(listener))
}

/** Serves a blank page, for both page origins (`http://localhost:<port>` and `http://127.0.0.1:<port>`). */
export function startPages(): Promise<LoggedServer> {
  return serve(
    createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>page</title>')
    }),
  )
}
