/**
 * NestJS on its Fastify platform, GET /data from a Nest controller (nest.ts), with CORS mounted as a
 * Nest user does today, `app.enableCors()` (which registers `@fastify/cors`), and as @cors/fastify's
 * README and examples/nest/src/main-fastify.ts show it, `app.register(cors, options)`.
 */
import ours from '@cors/fastify'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { corsOptions, peerOptions } from '../policy.ts'
import { handWrittenCors } from './fastify.ts'
import { listenNest } from './nest.ts'
import type { Framework, Listening } from './types.ts'

const listen = (port: number, setup?: (app: NestFastifyApplication) => unknown): Promise<Listening> =>
  listenNest(new FastifyAdapter(), port, setup)

export const nestFastify: Framework = {
  name: 'nest-fastify',
  start: {
    none: (port) => listen(port),
    // A hook on Nest's Fastify instance, as fastify.ts adds it (not Nest middleware, which runs later).
    'hand-written': (port) =>
      listen(port, (app) => {
        app.getHttpAdapter().getInstance().addHook('onRequest', handWrittenCors)
      }),
    peer: (port) => listen(port, (app) => app.enableCors(peerOptions)),
    ours: (port) => listen(port, (app) => app.register(ours, corsOptions)),
  },
}
