// The conformance app as a Lambda handler, and the clients the suites drive it with: each turns a
// conformance request into the documented event of one kind, calls the wrapped handler with it, and
// reads the result back as that service would send it (test/events.ts).
// Test harness, outside src/ so the published code never imports @cors/conformance.
import {
  type ConformanceClient,
  type ConformanceRequest,
  headerLines,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import {
  type LambdaCorsContext,
  type LambdaCorsOptions,
  type LambdaHttpEvent,
  withCors,
} from '../src/index.ts'
import { type EventKind, eventFor, lambdaContext, responseFor } from './events.ts'

type Headers = Record<string, string>

interface Seen {
  readonly method: string
  readonly path: string
  header(name: string): string | undefined
}

// What the app reads of an event, whatever its kind (an application's own routing, not the adapter's).
function seen(event: LambdaHttpEvent): Seen {
  const v2 = 'version' in event && event.version === '2.0'
  const record: Record<string, unknown> = {
    ...event.headers,
    ...('multiValueHeaders' in event && event.multiValueHeaders),
  }
  return {
    method: v2 ? event.requestContext.http.method : (event as { httpMethod: string }).httpMethod,
    path: v2 ? event.rawPath : (event as { path: string }).path,
    header: (name) => {
      const key = Object.keys(record).find((k) => k.toLowerCase() === name)
      return key === undefined ? undefined : String(record[key])
    },
  }
}

/**
 * A result in the kind's usual form: REST handlers usually set `headers`, a multi-value ALB target
 * must set `multiValueHeaders`, 2.0 handlers may return a bare string (sent as a 200 JSON body).
 */
function reply(kind: EventKind, statusCode: number, body: string, headers: Headers = {}): unknown {
  if (kind === 'alb-multi-value') {
    const multiValueHeaders = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    )
    return { statusCode, multiValueHeaders, body, isBase64Encoded: false }
  }
  return { statusCode, headers, body }
}

const routes: Record<string, { methods: string[]; answer: (kind: EventKind, method: string) => unknown }> = {
  '/ok': {
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    answer: (kind, method) =>
      method === 'HEAD'
        ? reply(kind, 200, '')
        : kind === 'http-api' || kind === 'function-url'
          ? 'ok'
          : reply(kind, 200, 'ok'),
  },
  '/get-only': { methods: ['GET'], answer: (kind) => reply(kind, 200, 'ok') },
  '/vary': { methods: ['GET'], answer: (kind) => reply(kind, 200, 'ok', { Vary: 'Accept-Encoding' }) },
  '/vary-origin': { methods: ['GET'], answer: (kind) => reply(kind, 200, 'ok', { vary: 'origin' }) },
  '/throw': {
    methods: ['GET'],
    answer: () => {
      throw new Error('boom')
    },
  },
  '/error-response': { methods: ['GET'], answer: (kind) => reply(kind, 500, 'failed') },
  '/redirect': { methods: ['GET'], answer: (kind) => reply(kind, 302, '', { location: '/ok' }) },
  // Lambda results are plain objects: nothing is immutable; the row checks the headers are there.
  '/immutable': { methods: ['GET'], answer: (kind) => reply(kind, 200, 'immutable') },
  '/upstream-cors': {
    methods: ['GET'],
    answer: (kind) => reply(kind, 200, 'ok', { ...upstreamCorsHeaders }),
  },
  '/slow': {
    methods: ['GET', 'POST', 'DELETE'],
    answer: async (kind) => {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
      return reply(kind, 200, 'ok')
    },
  },
  '/auth': { methods: ['GET', 'POST', 'PUT'], answer: (kind) => reply(kind, 200, 'ok') },
}

/** The conformance app (see @cors/conformance types.ts) as a Lambda handler for events of one kind. */
export function conformanceApp(
  kind: EventKind,
  onCall: () => void,
): (event: LambdaHttpEvent) => Promise<unknown> {
  return async (event) => {
    const { method, path, header } = seen(event)
    const route = routes[path]
    if (route === undefined || !route.methods.includes(method)) return reply(kind, 404, 'not found')
    if (path === '/auth' && header('authorization') === undefined) return reply(kind, 401, 'unauthorized')
    onCall()
    return route.answer(kind, method)
  }
}

/** The conformance request as the HTTP request a client sends (path and query split). */
export function httpRequest(request: ConformanceRequest): {
  method: string
  path: string
  query: string
  headers: [string, string][]
} {
  const [path = '/', query = ''] = request.path.split('?', 2)
  return { method: request.method, path, query, headers: headerLines(request) }
}

function clientFor(
  kind: EventKind,
  options: LambdaCorsOptions | CorsPolicy<LambdaCorsContext>,
): ConformanceClient {
  let called = false
  const handler = withCors(
    conformanceApp(kind, () => {
      called = true
    }) as (event: LambdaHttpEvent) => Promise<never>,
    options,
  )
  return async (request) => {
    called = false
    const result = await handler(eventFor(kind, httpRequest(request)), lambdaContext)
    const response = responseFor(kind, result)
    const headers: Headers = {}
    for (const [name, value] of response.headers) {
      const lower = name.toLowerCase()
      headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`
    }
    return { status: response.status, headers, handlerCalled: called, body: response.body }
  }
}

const isOptionsObject = (options: unknown): options is CorsOptions =>
  typeof options === 'object' && options !== null && Object.getPrototypeOf(options) === Object.prototype

/** The conformance and protection suites' client for one event kind: options, with `onError` answering 500. */
export const makeClient =
  (kind: EventKind): MakeClient =>
  (options) =>
    clientFor(
      kind,
      // Shapes that are not an options object go to withCors as they are, to be refused there.
      isOptionsObject(options)
        ? { ...(options as LambdaCorsOptions), onError: () => ({ statusCode: 500, body: 'internal error' }) }
        : (options as LambdaCorsOptions),
    )

/** The lifecycle suite's client: a policy from createCors passed to withCors() in place of options. */
export const makePolicyClient =
  (kind: EventKind): MakePolicyClient =>
  (policy) =>
    clientFor(kind, policy as CorsPolicy<LambdaCorsContext>)
