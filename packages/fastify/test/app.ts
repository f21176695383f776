// The conformance app and the clients the adapter's three suites drive it with (index.test.ts,
// policy.test.ts, protection.test.ts).
// Test harness, outside src/ so the published code never imports @cors/conformance.
import {
  type ConformanceClient,
  headerRecord,
  type MakeClient,
  type MakePolicyClient,
  upstreamCorsHeaders,
} from '@cors/conformance'
import type { CorsOptions, CorsPolicy } from '@cors/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { cors, type FastifyCorsOptions } from '../src/index.ts'

type Headers = Record<string, string | string[] | number | undefined>

/** Answers after a random 0-4 ms, so concurrent requests interleave inside the handler. */
const slowly = <T>(answer: () => T): Promise<T> =>
  new Promise((resolve) => setTimeout(() => resolve(answer()), Math.floor(Math.random() * 5)))

// Lower-case names, repeated headers joined with ", ", as the conformance driver expects.
function flatten(headers: Headers): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return flat
}

// light-my-request joins repeated header lines with ',': join them as Node's HTTP parser does, ', '.
const joinLines = (headers: Record<string, string | readonly string[]>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : value.join(', '),
    ]),
  )

// The conformance app (see @cors/conformance types.ts), with an authentication hook registered
// after the plugin, app-wide, so it would run for a preflight the plugin did not answer first.
export async function conformanceApp(
  options: CorsOptions | CorsPolicy,
  onCall: () => void,
): Promise<FastifyInstance> {
  const ran = <T>(answer: T): T => {
    onCall()
    return answer
  }
  const app = Fastify()
  await app.register(cors, options as FastifyCorsOptions)
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/auth') && request.headers.authorization === undefined) {
      await reply.code(401).send('unauthorized')
    }
  })
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/ok',
    handler: () => ran('ok'),
  })
  app.get('/get-only', () => ran('ok'))
  app.get('/vary', (_request, reply) => ran(reply.header('vary', 'Accept-Encoding').send('ok')))
  app.get('/vary-origin', (_request, reply) => ran(reply.header('vary', 'origin').send('ok')))
  app.get('/throw', () => {
    ran(null)
    throw new Error('boom')
  })
  app.get('/error-response', (_request, reply) => ran(reply.code(500).send('failed')))
  app.get('/redirect', (_request, reply) => ran(reply.redirect('/ok', 302)))
  app.get('/immutable', () => ran('immutable'))
  app.route({ method: ['GET', 'POST', 'PUT'], url: '/auth', handler: () => ran('ok') })
  app.route({ method: ['GET', 'POST', 'DELETE'], url: '/slow', handler: () => slowly(() => ran('ok')) })
  app.get('/upstream-cors', (_request, reply) => ran(reply.headers(upstreamCorsHeaders).send('ok')))
  await app.ready()
  return app
}

// Requests go through app.inject: no socket, the request's Host header is the one the row gives.
async function clientFor(options: CorsOptions | CorsPolicy): Promise<ConformanceClient> {
  let called = false
  const app = await conformanceApp(options, () => {
    called = true
  })
  return async (request) => {
    called = false
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.path,
      headers: joinLines(headerRecord(request)),
    })
    return {
      status: response.statusCode,
      headers: flatten(response.headers),
      handlerCalled: called,
      body: response.body,
    }
  }
}

/** The conformance and protection suites' client: options registered with the plugin. */
export const makeClient: MakeClient = (options) => clientFor(options)

/** The lifecycle suite's client: a policy from createCors registered as the plugin options. */
export const makePolicyClient: MakePolicyClient = (policy) => clientFor(policy)
