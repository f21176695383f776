/**
 * @module
 * The conformance client of an app that is a `node:http` request listener (Express, Koa's
 * `app.callback()`), sent through supertest over a real Node HTTP server, so the Host header is the one
 * the row gives. Its own entry, `@cors/conformance/supertest`, so the Fetch adapters never load supertest.
 */
import { Agent, createServer, type RequestListener, type Server } from 'node:http'
import supertest from 'supertest'
import { afterAll } from 'vitest'
import { headerRecord } from './client.ts'
import type { ConformanceClient } from './types.ts'

export type Headers = Readonly<Record<string, string | string[]>>

/**
 * Sends one request through a request listener or a Server with supertest and flattens the headers.
 * An array value is sent as several header lines, which Node's HTTP server joins with ", ". Given a
 * Server (not listening), supertest starts it once for all the requests in flight and closes it after
 * the last, instead of one server per request. With an `agent`, the requests reuse its kept-alive
 * connections.
 *
 * @example
 * const { status, headers } = await send(app, 'GET', '/ok', { origin: 'https://app.example.com' })
 */
export async function send(
  app: RequestListener | Server,
  method: string,
  path: string,
  headers: Headers = {},
  agent?: Agent,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const request = supertest(app)[method.toLowerCase() as 'get'](path)
  const response = await (agent === undefined ? request : request.agent(agent)).set(headers)
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return { status: response.status, headers: flat, text: response.text ?? '' }
}

/** How a client reaches the app: a server (listening or not) and, optionally, a keep-alive agent. */
export type Transport = (listener: RequestListener) => { readonly server: Server; readonly agent?: Agent }

// A Server that is not listening: supertest starts it once for the requests in flight and closes it
// after the last.
export const onDemand: Transport = (listener) => ({ server: createServer(listener) })

/**
 * The lifecycle suite's transport. One listening server for every request: the load group sends
 * requests in waves, and a server supertest starts itself closes whenever none is in flight. No idle
 * socket is closed under a client about to reuse it (ECONNRESET) while the run lasts. Connections
 * kept alive and reused: thousands of requests in flight without opening and closing thousands of
 * sockets, which a busy machine answers with resets. Both are closed after the file's tests.
 */
export const listening: Transport = (listener) => {
  const server = createServer(listener).listen(0)
  server.keepAliveTimeout = 120_000
  server.unref()
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  afterAll(() => {
    agent.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return { server, agent }
}

/**
 * The conformance client of a request-listener app: `app` builds the listener around the `onCall`
 * its routes call, so `handlerCalled` says whether one ran for this request.
 *
 * @example
 * supertestClient((onCall) => conformanceApp(options, onCall).callback(), onDemand)
 */
export function supertestClient(
  app: (onCall: () => void) => RequestListener,
  transport: Transport,
): ConformanceClient {
  let called = false
  const { server, agent } = transport(
    app(() => {
      called = true
    }),
  )
  return async (request) => {
    called = false
    const { status, headers, text } = await send(
      server,
      request.method,
      request.path,
      headerRecord(request),
      agent,
    )
    return { status, headers, handlerCalled: called, body: text }
  }
}
