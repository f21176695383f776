import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type PlaygroundAdapterName, playgroundAdapters } from '@cors/conformance/adapters'
import { createApp as createElysiaApp } from '@cors-examples/elysia'
import { createApp as createExpressApp } from '@cors-examples/express'
import { createApp as createFastifyApp } from '@cors-examples/fastify'
import { createApp as createFetchApp } from '@cors-examples/fetch'
import { createApp as createH3App } from '@cors-examples/h3'
import { createApp as createHonoApp } from '@cors-examples/hono'
import { createApp as createKoaApp } from '@cors-examples/koa'
import { createApp as createLambdaApp } from '@cors-examples/lambda'
import { createApp as createNextApp } from '@cors-examples/next'
import { createAdaptorServer } from '@hono/node-server'
import { toNodeHandler } from 'h3'
import { DecisionLog, type LoggedRequest } from './decision-log.ts'
import { loopbackHosts, pageHandler } from './page-server.ts'
import { startProtectionDemo } from './protection-demo.ts'

// The playground: every adapter's example API (the one list, `@cors/conformance/adapters`), each on its
// own origin, and a page server on two more origins, all in one process so the page server can answer
// "why?" from the APIs' decision log.

/** Names of the example APIs, in the order the page shows them. */
export const apiNames: readonly ApiName[] = playgroundAdapters.map((adapter) => adapter.name)
export type ApiName = PlaygroundAdapterName

export type PlaygroundPorts = {
  /** The page on `http://localhost:<page>`, the origin the example policies allow when it is 5173. */
  readonly page: number
  /** The same page on `http://127.0.0.1:<otherPage>`, an origin no example allows. */
  readonly otherPage: number
} & { readonly [name in ApiName]: number }

export const defaultPorts: PlaygroundPorts = {
  page: 5173,
  otherPage: 5174,
  ...(Object.fromEntries(playgroundAdapters.map((adapter) => [adapter.name, adapter.port])) as Record<
    ApiName,
    number
  >),
}

/** The page origin every example policy lists (with `https://app.example.com`). */
export const examplesPageOrigin = 'http://localhost:5173'

export interface PlaygroundOptions {
  /** Ports to listen on, all on 127.0.0.1; 0 picks a free port. Defaults: `defaultPorts`. */
  readonly ports?: Partial<PlaygroundPorts>
  /**
   * The origin the browser uses for the `page` port, when it is not `http://localhost:<page>`: the
   * browser suite maps `http://localhost:5173` to a free port with `--host-resolver-rules`.
   */
  readonly pageOrigin?: string
  /** Called once for every request an API answered (`npm start` prints a line each). */
  readonly onRequest?: (request: LoggedRequest) => void
}

export interface PageOriginInfo {
  readonly origin: string
  /** Whether every example API's policy allows this origin. */
  readonly allowed: boolean
}

export interface Playground {
  /** The ports the servers listen on (the ones picked for 0). */
  readonly ports: PlaygroundPorts
  readonly urls: {
    /** The page on the origin the examples allow (open this one). */
    readonly page: string
    /** The same page on an origin no example allows. */
    readonly otherPage: string
    readonly apis: Readonly<Record<ApiName, string>>
    /** The cross-origin protection demo: a cross-site form post with the option off and on. */
    readonly protection: string
  }
  close(): Promise<void>
}

const host = '127.0.0.1'
async function listen(server: Server, port: number): Promise<number> {
  server.listen(port, host)
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error
    }),
  ])
  return (server.address() as AddressInfo).port
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return
  server.closeAllConnections()
  server.close()
  await once(server, 'close')
}

/** Every example API's server, and what else stopping them takes. */
interface Apis {
  readonly servers: Record<ApiName, Server>
  close(): Promise<void>
}

/** Starts every example API with their `onReject` hooks feeding `log`. */
async function startApis(log: DecisionLog): Promise<Apis> {
  const fastify = await createFastifyApp({
    logger: false,
    onReject: (rejection, request) => log.reject('fastify', request.method, request.url, rejection),
  })
  await fastify.ready()
  const koa = createKoaApp({
    onReject: (rejection, ctx) => log.reject('koa', ctx.method, ctx.url, rejection),
  })
  koa.silent = true // the /error route throws on purpose; its 500 is in the decision log
  const hono = createHonoApp({
    onReject: (rejection, c) => log.reject('hono', c.req.method, c.req.url, rejection),
  })
  const fetch = createFetchApp({
    onReject: (rejection, request) => log.reject('fetch', request.method, request.url, rejection),
  })
  const express = createExpressApp({
    onReject: (rejection, req) => log.reject('express', req.method, req.originalUrl, rejection),
  })
  const h3 = createH3App({
    onReject: (rejection, event) => log.reject('h3', event.req.method, event.req.url, rejection),
  })
  const elysia = createElysiaApp({
    onReject: (rejection, { request }) => log.reject('elysia', request.method, request.url, rejection),
  })
  // A Function URL handler behind the example's HTTP -> event bridge: the event carries the path and query.
  const lambda = createLambdaApp({
    onReject: (rejection, { event }) => {
      const url = `${event.rawPath}${event.rawQueryString === '' ? '' : `?${event.rawQueryString}`}`
      log.reject('lambda', event.requestContext.http.method, url, rejection)
    },
  })
  // The app `next build` made, in this process (Next's custom-server API): its proxy's policy hands
  // refusals to this hook. See examples/next/src/app.ts for what Next changes in a shared process.
  const next = await createNextApp({
    onReject: (rejection, request) => log.reject('next', request.method, request.url, rejection),
  })
  const servers: Record<ApiName, Server> = {
    fastify: fastify.server,
    koa: createServer(koa.callback()),
    // overrideGlobalObjects: false: @hono/node-server would otherwise replace the process's global
    // Response, and h3 2 (same process) then sends its own error and 404 answers as "[object Response]".
    hono: createAdaptorServer({ fetch: hono.fetch, overrideGlobalObjects: false }) as Server,
    fetch: createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server,
    express: createServer(express),
    h3: createServer(toNodeHandler(h3)),
    // Elysia's handle() is a Fetch handler; @elysiajs/node would start a server of its own.
    elysia: createAdaptorServer({ fetch: elysia.handle, overrideGlobalObjects: false }) as Server,
    next: createServer((req, res) => void next.handle(req, res)),
    lambda: createServer(lambda),
  }
  return { servers, close: () => next.close() }
}

/**
 * The page origins an API lets read `GET /todos`, asked of the API itself rather than read from its
 * code: most examples allow http://localhost:5173 only, examples/next any port of localhost. Sent
 * before the decision log observes the API, so these requests are not shown.
 */
async function allowedPages(api: string, origins: readonly string[]): Promise<string[]> {
  const allowed = await Promise.all(
    origins.map(async (origin) => {
      const response = await fetch(new URL('/todos', api), { headers: { origin } })
      // Read to the end, not cancelled: cancelling the body of Next's answer never settles.
      await response.arrayBuffer()
      const granted = response.headers.get('access-control-allow-origin')
      return granted === origin || granted === '*'
    }),
  )
  return origins.filter((_, i) => allowed[i])
}

/**
 * Starts the playground: every example API and the page server on two origins, all on 127.0.0.1.
 * Returns the URLs and a `close()` that stops every server.
 *
 * @example
 * const playground = await startPlayground()
 * console.log(`open ${playground.urls.page}`)
 */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const ports = { ...defaultPorts, ...options.ports }
  const log = new DecisionLog(options.onRequest)
  const servers: Server[] = []
  let apis: Apis | undefined
  try {
    apis = await startApis(log)
    const urls = {} as Record<ApiName, string>
    const bound = { ...ports }
    for (const name of apiNames) {
      servers.push(apis.servers[name])
      bound[name] = await listen(apis.servers[name], ports[name])
      urls[name] = `http://${host}:${bound[name]}`
    }
    const pageServers = [createServer(), createServer()]
    servers.push(...pageServers)
    bound.page = await listen(pageServers[0]!, ports.page)
    bound.otherPage = await listen(pageServers[1]!, ports.otherPage)
    const origins = [
      options.pageOrigin ?? `http://localhost:${bound.page}`,
      `http://${host}:${bound.otherPage}`,
    ]
    const allowed = await Promise.all(apiNames.map((name) => allowedPages(urls[name], origins)))
    for (const name of apiNames) log.observe(name, apis.servers[name])
    const pages: PageOriginInfo[] = origins.map((origin) => ({
      origin,
      allowed: allowed.every((list) => list.includes(origin)),
    }))
    const config = JSON.stringify({
      pages,
      apis: playgroundAdapters.map(({ name, npm }, i) => ({
        name,
        npm,
        url: urls[name],
        allows: allowed[i],
      })),
    })
    const hosts = loopbackHosts([bound.page, bound.otherPage], origins)
    const handler = pageHandler({ origins, hosts, config, apis: Object.values(urls), log })
    for (const server of pageServers) server.on('request', handler)
    // Its page on page + 2 (5175 by default), its two APIs on free ports.
    const protection = await startProtectionDemo(ports.page === 0 ? 0 : ports.page + 2)

    return {
      ports: bound,
      urls: { page: `${origins[0]}/`, otherPage: `${origins[1]}/`, apis: urls, protection: protection.url },
      close: async () => {
        await Promise.all([...servers.map(closeServer), protection.close()])
        await apis?.close()
      },
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer))
    await apis?.close()
    throw error
  }
}
