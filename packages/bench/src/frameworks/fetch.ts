import { withCors } from '@cors/fetch'
import { cors as itty } from 'itty-router'
import { corsOptions, handWritten, path, payloadJson, totalCount } from '../policy.ts'
import { serveFetch } from './serve-fetch.ts'
import type { Framework } from './types.ts'

// The path of an absolute URL, without parsing all of it.
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const query = url.indexOf('?', start)
  return url.slice(start, query === -1 ? undefined : query)
}

// The application: a plain Web Fetch handler serving GET /data.
async function dataHandler(request: Request): Promise<Response> {
  if (request.method !== 'GET' || pathOf(request.url) !== path) return new Response(null, { status: 404 })
  return new Response(payloadJson, {
    headers: { 'content-type': 'application/json', 'x-total-count': totalCount },
  })
}

// The hand-written minimum: preflights answered at once, static headers set on the handler's response.
async function handWrittenCors(request: Request): Promise<Response> {
  const origin = request.headers.get('origin')
  if (origin === null || !handWritten.allowed.has(origin)) {
    const response = await dataHandler(request)
    response.headers.set('vary', 'Origin')
    return response
  }
  if (request.method === 'OPTIONS' && request.headers.get('access-control-request-method') !== null) {
    return new Response(null, {
      status: 204,
      headers: { ...handWritten.preflight, 'access-control-allow-origin': origin },
    })
  }
  const response = await dataHandler(request)
  response.headers.set('access-control-allow-origin', origin)
  for (const name in handWritten.actual)
    response.headers.set(name, handWritten.actual[name as keyof typeof handWritten.actual])
  return response
}

// itty-router's cors helper as its README wires it, without the router: preflight first, corsify last.
function peerCors(): (request: Request) => Promise<Response> {
  const { preflight, corsify } = itty({
    origin: [...corsOptions.origin],
    credentials: true,
    allowMethods: [...corsOptions.methods],
    allowHeaders: [...corsOptions.allowedHeaders],
    exposeHeaders: [...corsOptions.exposedHeaders],
    maxAge: corsOptions.maxAge,
  })
  return async function ittyCors(request) {
    return preflight(request) ?? corsify(await dataHandler(request), request)
  }
}

export const fetch: Framework = {
  name: 'fetch',
  start: {
    none: (port) => serveFetch(dataHandler, port),
    'hand-written': (port) => serveFetch(handWrittenCors, port),
    peer: (port) => serveFetch(peerCors(), port),
    ours: (port) => serveFetch(withCors(dataHandler, corsOptions), port),
  },
}
