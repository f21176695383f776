/**
 * NestJS on its Express platform, GET /data from a Nest controller (nest.ts), with CORS mounted as a
 * Nest user does today, `app.enableCors()` (which wraps the `cors` package), and as
 * @cors/express's README and examples/nest/src/main-express.ts show it, `app.use(cors(options))`.
 */
import { cors as ours } from '@cors/express'
import type { INestApplication } from '@nestjs/common'
import { ExpressAdapter } from '@nestjs/platform-express'
import { corsOptions, peerOptions } from '../policy.ts'
import { handWrittenCors } from './express.ts'
import { listenNest } from './nest.ts'
import type { Framework, Listening } from './types.ts'

const listen = (port: number, setup?: (app: INestApplication) => unknown): Promise<Listening> =>
  listenNest(new ExpressAdapter(), port, setup)

export const nestExpress: Framework = {
  name: 'nest-express',
  start: {
    none: (port) => listen(port),
    'hand-written': (port) => listen(port, (app) => app.use(handWrittenCors)),
    peer: (port) => listen(port, (app) => app.enableCors(peerOptions)),
    ours: (port) => listen(port, (app) => app.use(ours(corsOptions))),
  },
}
