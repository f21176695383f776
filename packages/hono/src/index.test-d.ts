import { type Context, type Env, Hono, type MiddlewareHandler } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  cors,
  type HonoCorsOptions,
} from './index.ts'

type AppEnv = { Bindings: { TOKEN: string }; Variables: { requestId: string } }

// A variable declared the Hono way, for every context of the program.
declare module 'hono' {
  interface ContextVariableMap {
    tenant: string
  }
}

describe('cors types', () => {
  it('returns a Hono middleware and takes the core options with the Hono Context', () => {
    expectTypeOf(cors).parameter(0).toEqualTypeOf<HonoCorsOptions | CorsPolicy<Context<Env>> | undefined>()
    expectTypeOf(cors()).toEqualTypeOf<MiddlewareHandler<Env>>()
    expectTypeOf<HonoCorsOptions>().toEqualTypeOf<CorsOptions<Context<Env>>>()
    expectTypeOf<HonoCorsOptions<AppEnv>>().toEqualTypeOf<CorsOptions<Context<AppEnv>>>()
  })

  it('fits an app with its own Env', () => {
    const app = new Hono<AppEnv>()
    app.use('*', cors())
    app.use('/api/*', cors({ origin: 'https://app.example.com', credentials: true }))
    expectTypeOf(cors<AppEnv>()).toEqualTypeOf<MiddlewareHandler<AppEnv>>()
  })

  it("types the Context the hooks receive with the app's Bindings and Variables", () => {
    const app = new Hono<AppEnv>()
    app.use(
      '*',
      cors<AppEnv>({
        origin: (origin, c) => {
          expectTypeOf(origin).toEqualTypeOf<string>()
          expectTypeOf(c).toEqualTypeOf<Context<AppEnv>>()
          expectTypeOf(c.env.TOKEN).toEqualTypeOf<string>()
          return c.var.requestId !== ''
        },
        onReject: (rejection, c) => {
          expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
          expectTypeOf(rejection.reason).not.toEqualTypeOf<'allowed'>()
          expectTypeOf(c.var.requestId).toEqualTypeOf<string>()
          expectTypeOf(c.get('requestId')).toEqualTypeOf<string>()
        },
      }),
    )
  })

  it('sees ContextVariableMap augmentations without a type argument', () => {
    cors({
      onReject: (_rejection, c) => {
        expectTypeOf(c.get('tenant')).toEqualTypeOf<string>()
      },
    })
  })

  it('rejects what the core rejects in types', () => {
    // @ts-expect-error origin: true reflects any origin, never with credentials
    cors({ origin: true, credentials: true })
    // @ts-expect-error credentials need an explicit origin
    cors({ credentials: true })
    // @ts-expect-error hono/cors's name: ours is allowedHeaders
    cors({ allowHeaders: ['Content-Type'] })
    // @ts-expect-error maxAge is a number of seconds
    cors({ maxAge: '600' })
  })

  it('re-exports the core types a user of the middleware needs', () => {
    expectTypeOf<CorsRejection['allowed']>().toEqualTypeOf<false>()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
