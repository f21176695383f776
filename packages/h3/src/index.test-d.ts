import { H3, type H3Event, type Middleware } from 'h3'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type CorsRejection,
  cors,
  type H3CorsOptions,
} from './index.ts'

// A context value declared the h3 way, for every event of the program.
declare module 'h3' {
  interface H3EventContext {
    tenant?: string
  }
}

describe('cors types', () => {
  it('returns an h3 middleware and takes the core options with the H3Event', () => {
    expectTypeOf(cors).parameter(0).toEqualTypeOf<H3CorsOptions | CorsPolicy<H3Event> | undefined>()
    expectTypeOf(cors()).toEqualTypeOf<Middleware>()
    expectTypeOf<H3CorsOptions>().toEqualTypeOf<CorsOptions<H3Event>>()
  })

  it('fits app.use, path-scoped use, route middleware and the H3 chain', () => {
    const app = new H3().use(cors())
    expectTypeOf(app).toEqualTypeOf<H3>()
    app.use('/api/**', cors({ origin: 'https://app.example.com', credentials: true }))
    app.post('/items', () => 'ok', { middleware: [cors()] })
  })

  it('gives the hooks the H3Event, with context augmentations', () => {
    cors({
      origin: (origin, event) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(event).toEqualTypeOf<H3Event>()
        return event.context.tenant !== undefined
      },
      onReject: (rejection, event) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(event.context.tenant).toEqualTypeOf<string | undefined>()
      },
      crossOriginProtection: { bypass: (event) => event.url.pathname === '/webhooks' },
    })
  })

  it('rejects what the core rejects in types', () => {
    // @ts-expect-error origin: true reflects any origin, never with credentials
    cors({ origin: true, credentials: true })
    // @ts-expect-error credentials need an explicit origin
    cors({ credentials: true })
    // @ts-expect-error handleCors's name: ours is allowedHeaders
    cors({ allowHeaders: ['Content-Type'] })
    // @ts-expect-error maxAge is a number of seconds
    cors({ maxAge: '600' })
  })

  it('re-exports the core types a user of the middleware needs', () => {
    expectTypeOf<CorsRejection['allowed']>().toEqualTypeOf<false>()
    expectTypeOf<CorsDecision['kind']>().toEqualTypeOf<'preflight' | 'actual' | 'non-cors'>()
  })
})
