import { Elysia, type PreContext } from 'elysia'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  cors,
  type ElysiaCorsContext,
  type ElysiaCorsOptions,
} from './index.ts'

describe('cors types', () => {
  it('takes the core options with the Elysia context, or a policy', () => {
    expectTypeOf(cors)
      .parameter(0)
      .toEqualTypeOf<ElysiaCorsOptions | CorsPolicy<ElysiaCorsContext> | undefined>()
    expectTypeOf<ElysiaCorsOptions>().toEqualTypeOf<CorsOptions<PreContext>>()
    expectTypeOf(cors()).toEqualTypeOf<Elysia>()
  })

  it("keeps the app's type through .use(): routes, state, decorators and derived values", () => {
    const base = new Elysia()
      .state('tenant', 'acme')
      .decorate('db', { find: (id: number) => ({ id }) })
      .derive(() => ({ user: 'u' }))
      .get('/items/:id', ({ params }) => params.id)
    const app = base.use(cors({ origin: 'https://app.example.com' }))
    // Compared part by part: the whole instance type is too deep for one comparison.
    expectTypeOf<(typeof app)['~Routes']>().toEqualTypeOf<(typeof base)['~Routes']>()
    expectTypeOf<(typeof app)['~Singleton']>().toEqualTypeOf<(typeof base)['~Singleton']>()
    // Derived values stay (Elysia re-intersects them with the plugin's empty ones): see `user` below.
    app.get('/me', ({ store, db, user }) => {
      expectTypeOf(store.tenant).toEqualTypeOf<string>()
      expectTypeOf(db.find(1)).toEqualTypeOf<{ id: number }>()
      expectTypeOf(user).toEqualTypeOf<'u'>()
      return user
    })
  })

  it('gives the hooks the context as it is before routing', () => {
    cors({
      origin: (origin, context) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(context.request).toEqualTypeOf<Request>()
        return new URL(context.request.url).pathname.startsWith('/public')
      },
      onReject: (rejection, context) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(context.set.headers).toBeObject()
      },
      crossOriginProtection: { bypass: (context) => context.request.url.endsWith('/webhook') },
    })
  })

  it('rejects what the core rejects in types', () => {
    // @ts-expect-error origin: true reflects any origin, never with credentials
    cors({ origin: true, credentials: true })
    // @ts-expect-error @elysiajs/cors's name: ours is exposedHeaders
    cors({ exposeHeaders: ['X-Total'] })
    // @ts-expect-error maxAge is a number of seconds
    cors({ maxAge: '600' })
  })

  it('re-exports the core types a user of the plugin needs', () => {
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
