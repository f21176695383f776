// The conformance app (see @cors/conformance types.ts) as a Nest application, and the clients that
// drive it through Nest's own HTTP adapter (`app.getHttpAdapter().getInstance()`, injected without a
// socket): on Express with `app.use(cors(options))` and with `MiddlewareConsumer.apply(cors(options))`,
// and on Fastify with `app.register(cors, options)`. The same calls as the README snippets
// (main-express.ts, cors-app.module.ts, main-fastify.ts), with the policy of each table group.

import { type ConformanceClient, headerRecord, type MakeClient, upstreamCorsHeaders } from '@cors/conformance'
import { type CorsOptions, cors as expressCors } from '@cors/express'
import fastifyCors from '@cors/fastify'
import {
  type CanActivate,
  Controller,
  Delete,
  type ExecutionContext,
  Get,
  Header,
  HttpCode,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Options,
  Patch,
  Post,
  Put,
  Redirect,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import inject from 'light-my-request'

/** How the policy is mounted: the three forms the READMEs show. */
export type NestForm = 'express app.use' | 'express MiddlewareConsumer' | 'fastify app.register'
export const nestForms: readonly NestForm[] = [
  'express app.use',
  'express MiddlewareConsumer',
  'fastify app.register',
]

// An authentication step before the handler: a guard refusing requests without Authorization (401).
class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
    if (request.headers.authorization === undefined) throw new UnauthorizedException()
    return true
  }
}

// The routes, in a controller made per app so each records its own handler calls.
function conformanceController(onCall: () => void): new () => object {
  const ok = (): string => {
    onCall()
    return 'ok'
  }
  const slow = async (): Promise<string> => {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)))
    return ok()
  }
  @Controller()
  class ConformanceController {
    @Get('ok') getOk(): string {
      return ok()
    }
    @Post('ok') @HttpCode(200) postOk(): string {
      return ok()
    }
    @Put('ok') putOk(): string {
      return ok()
    }
    @Patch('ok') patchOk(): string {
      return ok()
    }
    @Delete('ok') deleteOk(): string {
      return ok()
    }
    @Options('ok') optionsOk(): string {
      return ok()
    }
    @Get('get-only') getOnly(): string {
      return ok()
    }
    @Get('vary') @Header('Vary', 'Accept-Encoding') vary(): string {
      return ok()
    }
    @Get('vary-origin') @Header('Vary', 'origin') varyOrigin(): string {
      return ok()
    }
    @Get('throw') throws(): never {
      onCall()
      throw new Error('boom')
    }
    @Get('error-response') @HttpCode(500) errorResponse(): string {
      onCall()
      return 'failed'
    }
    @Get('redirect') @Redirect('/ok', 302) redirect(): void {
      onCall()
    }
    @Get('immutable') immutable(): string {
      return ok()
    }
    @Get('upstream-cors') @UpstreamCors() upstream(): string {
      return ok()
    }
    @Get('slow') getSlow(): Promise<string> {
      return slow()
    }
    @Post('slow') @HttpCode(200) postSlow(): Promise<string> {
      return slow()
    }
    @Delete('slow') deleteSlow(): Promise<string> {
      return slow()
    }
    @Get('auth') @UseGuards(AuthGuard) getAuth(): string {
      return ok()
    }
    @Post('auth') @HttpCode(200) @UseGuards(AuthGuard) postAuth(): string {
      return ok()
    }
    @Put('auth') @UseGuards(AuthGuard) putAuth(): string {
      return ok()
    }
  }
  return ConformanceController
}

// The upstream's own Access-Control-* headers, set by the route as a proxy passing them on would.
function UpstreamCors(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const [name, value] of Object.entries(upstreamCorsHeaders))
      Header(name, value)(target, key, descriptor)
  }
}

/** The Nest application of one form around a policy, initialized (not listening). */
export async function conformanceApp(
  form: NestForm,
  options: CorsOptions,
  onCall: () => void,
): Promise<INestApplication> {
  const controller = conformanceController(onCall)
  if (form === 'fastify app.register') {
    @Module({ controllers: [controller] })
    class FastifyModule {}
    const app = await NestFactory.create<NestFastifyApplication>(FastifyModule, new FastifyAdapter(), {
      logger: false,
    })
    await app.register(fastifyCors, options)
    await app.init()
    await app.getHttpAdapter().getInstance().ready()
    return app
  }
  if (form === 'express MiddlewareConsumer') {
    @Module({ controllers: [controller] })
    class ConsumerModule implements NestModule {
      configure(consumer: MiddlewareConsumer): void {
        consumer.apply(expressCors(options)).forRoutes('*')
      }
    }
    return (await NestFactory.create(ConsumerModule, { logger: false })).init()
  }
  @Module({ controllers: [controller] })
  class UseModule {}
  const app = await NestFactory.create(UseModule, { logger: false })
  app.use(expressCors(options))
  return app.init()
}

const flatten = (headers: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]),
  )

// Repeated header lines joined as Node's HTTP parser joins them, ', ' (light-my-request would use ',').
const joinLines = (headers: Record<string, string | readonly string[]>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : value.join(', '),
    ]),
  )

/** The conformance client of one form: requests injected into Nest's own HTTP adapter. */
export const makeClient =
  (form: NestForm): MakeClient =>
  async (options): Promise<ConformanceClient> => {
    let called = false
    const app = await conformanceApp(form, options, () => {
      called = true
    })
    const instance = app.getHttpAdapter().getInstance()
    return async (request) => {
      called = false
      const injected = {
        method: request.method as 'GET',
        url: request.path,
        headers: joinLines(headerRecord(request)),
      }
      const response =
        form === 'fastify app.register' ? await instance.inject(injected) : await inject(instance, injected)
      return {
        status: response.statusCode,
        headers: flatten(response.headers),
        handlerCalled: called,
        body: response.body,
      }
    }
  }
