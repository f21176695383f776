/**
 * The NestJS application nest-express.ts and nest-fastify.ts serve: one module with one controller,
 * GET /data, created with NestFactory.create on the platform each passes in.
 */
// Nest's decorators store their metadata with reflect-metadata, which must be loaded before them.
import 'reflect-metadata'
import type { AddressInfo } from 'node:net'
import { Controller, Get, Header, type INestApplication, Module } from '@nestjs/common'
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core'
import { path, payload, totalCount } from '../policy.ts'
import type { Listening } from './types.ts'

// The controller and module, decorated the way `tsc` compiles `@Controller()`, `@Get(path)` and
// `@Header(...)` (Reflect.decorate): tsx applies legacy decorators only under a tsconfig with
// experimentalDecorators, and it reads the tsconfig of whatever directory the bench is started from.
class DataController {
  list(): typeof payload {
    return payload
  }
}
Reflect.decorate(
  [Get(path), Header('x-total-count', totalCount)],
  DataController.prototype,
  'list',
  Object.getOwnPropertyDescriptor(DataController.prototype, 'list'),
)
Reflect.decorate([Controller()], DataController)

class DataModule {}
Reflect.decorate([Module({ controllers: [DataController] })], DataModule)

/**
 * Creates the Nest app on `adapter`, lets `setup` mount CORS before the routes (Nest registers them
 * in `listen`), and listens on 127.0.0.1. No logger: the bench's stdout is its report.
 */
export async function listenNest<App extends INestApplication>(
  adapter: AbstractHttpAdapter,
  port: number,
  setup?: (app: App) => unknown,
): Promise<Listening> {
  const app = await NestFactory.create<App>(DataModule, adapter, { logger: false })
  await setup?.(app)
  await app.listen(port, '127.0.0.1')
  const address = app.getHttpServer().address() as AddressInfo
  return { port: address.port, close: () => app.close() }
}
