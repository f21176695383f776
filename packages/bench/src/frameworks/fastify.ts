import ours from '@cors/fastify'
import peer from '@fastify/cors'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { corsOptions, handWritten, path, payload, totalCount } from '../policy.ts'
import type { Framework, Listening } from './types.ts'

// The application: GET /data.
function dataRoute(_request: FastifyRequest, reply: FastifyReply): typeof payload {
  reply.header('x-total-count', totalCount)
  return payload
}

// The hand-written minimum: static headers for a known origin, preflights answered in onRequest
// (which also runs for unrouted paths, so OPTIONS /data needs no route). nest-fastify.ts adds the same
// hook to Nest's Fastify instance.
export function handWrittenCors(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const origin = request.headers.origin
  if (origin === undefined || !handWritten.allowed.has(origin)) {
    reply.header('vary', 'Origin')
    done()
    return
  }
  reply.header('access-control-allow-origin', origin)
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    reply.headers(handWritten.preflight)
    reply.code(204).send()
    return
  }
  reply.headers(handWritten.actual)
  done()
}

async function listen(port: number, setup?: (fastify: FastifyInstance) => unknown): Promise<Listening> {
  const fastify = Fastify({ logger: false })
  await setup?.(fastify)
  fastify.get(path, dataRoute)
  await fastify.listen({ host: '127.0.0.1', port })
  const address = fastify.server.address()
  if (address === null || typeof address === 'string') throw new Error('fastify: no TCP address')
  return { port: address.port, close: () => fastify.close() }
}

export const fastify: Framework = {
  name: 'fastify',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, (fastify) => fastify.addHook('onRequest', handWrittenCors)),
    peer: (port) => listen(port, (fastify) => fastify.register(peer, corsOptions)),
    ours: (port) => listen(port, (fastify) => fastify.register(ours, corsOptions)),
  },
}
