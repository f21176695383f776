import { describe, expectTypeOf, it } from 'vitest'
import {
  appendVary,
  type CorsActualAllowed,
  CorsConfigError,
  type CorsConfigIssue,
  type CorsConfigIssueCode,
  type CorsDecision,
  type CorsNonCors,
  type CorsOptions,
  type CorsOriginCallbackMistake,
  type CorsPolicy,
  type CorsPreflightAllowed,
  type CorsReason,
  type CorsRejection,
  type CorsRequest,
  createCors,
  toCorsRequest,
  validateCorsOptions,
} from './index.ts'

const app = 'https://app.example.com'

describe('CorsOptions refuses what can never work', () => {
  it('refuses credentials: true without an origin (the default "*" is refused with credentials)', () => {
    // @ts-expect-error credentials: true needs an explicit origin
    const options: CorsOptions = { credentials: true }
    expectTypeOf(options).toEqualTypeOf<CorsOptions>()
  })

  it('refuses credentials: true with origin: true (reflecting every origin with cookies)', () => {
    // @ts-expect-error origin: true is never allowed with credentials
    const options: CorsOptions = { origin: true, credentials: true }
    expectTypeOf(options).toEqualTypeOf<CorsOptions>()
    // @ts-expect-error the same refusal when the options are passed straight to createCors
    createCors({ origin: true, credentials: true })
  })

  it('refuses unknown option names, including the ones other CORS packages use', () => {
    // @ts-expect-error allowHeaders is called allowedHeaders here
    createCors({ allowHeaders: ['X-Request-Id'] })
    // @ts-expect-error allowMethods is called methods here
    createCors({ allowMethods: ['GET'] })
    // @ts-expect-error a typo is an error, not an ignored key
    const typo: CorsOptions = { orign: app }
    expectTypeOf(typo).toEqualTypeOf<CorsOptions>()
  })

  it('refuses values of the wrong type', () => {
    // @ts-expect-error maxAge is a number
    createCors({ maxAge: '600' })
    // @ts-expect-error credentials is a boolean
    createCors({ origin: app, credentials: 'true' })
    // @ts-expect-error origin is never a number
    createCors({ origin: 42 })
    // @ts-expect-error methods are strings
    createCors({ methods: [1, 2] })
    // @ts-expect-error onReject is a function
    createCors({ onReject: 'log' })
  })
})

describe('CorsOptions accepts every documented form', () => {
  it('accepts each origin form', () => {
    expectTypeOf({}).toExtend<CorsOptions>()
    expectTypeOf({ origin: '*' as const }).toExtend<CorsOptions>()
    expectTypeOf({ origin: app }).toExtend<CorsOptions>()
    expectTypeOf({ origin: 'https://*.example.com' }).toExtend<CorsOptions>()
    expectTypeOf({ origin: /^https:\/\/[a-z]+\.example\.com$/ }).toExtend<CorsOptions>()
    expectTypeOf({ origin: [app, /^https:\/\/b\.example$/] }).toExtend<CorsOptions>()
    expectTypeOf({ origin: true as const }).toExtend<CorsOptions>()
    expectTypeOf({ origin: false as const }).toExtend<CorsOptions>()
    expectTypeOf({ origin: (origin: string) => origin === app }).toExtend<CorsOptions>()
    expectTypeOf({ origin: async (origin: string) => origin === app }).toExtend<CorsOptions>()
    expectTypeOf(
      createCors({ origin: (origin, context) => origin.length > 0 && context !== null }),
    ).toEqualTypeOf<CorsPolicy<unknown>>()
  })

  // Issue 19.2: the cors package's (origin, callback) shape gave "'cb' is of type 'unknown'".
  it('refuses the callback shape with a one-line error naming the fix', () => {
    // The error reads: Argument of type 'null' is not assignable to parameter of type
    // '"return a boolean instead of calling a callback"'.
    // @ts-expect-error return a boolean instead of calling a callback
    createCors({ origin: (_origin, cb) => cb(null, true) })
    createCors({
      // @ts-expect-error a block that returns nothing is not an origin function either
      origin: (_origin, callback) => {
        // @ts-expect-error return a boolean instead of calling a callback
        callback(null, true)
      },
    })
    expectTypeOf<
      Parameters<CorsOriginCallbackMistake>[0]
    >().toEqualTypeOf<'return a boolean instead of calling a callback'>()
    // A context type, given or inferred from an annotated parameter, is the context as it is.
    interface Native {
      readonly path: string
    }
    expectTypeOf(
      createCors({ origin: (origin, request: Native) => request.path.length > origin.length }),
    ).toEqualTypeOf<CorsPolicy<Native>>()
    createCors<Native>({
      origin: (_origin, request) => {
        expectTypeOf(request).toEqualTypeOf<Native>()
        return true
      },
    })
  })

  it('accepts every other option', () => {
    const all = {
      origin: [app, 'http://localhost:*'],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: 'X-Total-Count',
      maxAge: 600,
      preflightContinue: false,
      optionsSuccessStatus: 200,
      onReject: (rejection: CorsRejection) => void rejection.reason,
    } satisfies CorsOptions
    expectTypeOf(all).toExtend<CorsOptions>()
    expectTypeOf({
      methods: 'GET, POST',
      allowedHeaders: '*',
      exposedHeaders: ['*'],
      credentials: false as const,
    }).toExtend<CorsOptions>()
  })

  it('accepts credentials with every explicit origin form but true', () => {
    expectTypeOf({ origin: app, credentials: true as const }).toExtend<CorsOptions>()
    expectTypeOf({
      origin: [app, /^https:\/\/b\.example$/],
      credentials: true as const,
    }).toExtend<CorsOptions>()
    expectTypeOf({ origin: async () => true, credentials: true as const }).toExtend<CorsOptions>()
    expectTypeOf({ origin: false as const, credentials: true as const }).toExtend<CorsOptions>()
    expectTypeOf(createCors({ origin: app, credentials: true })).toEqualTypeOf<CorsPolicy<unknown>>()
  })

  it('accepts credentials decided at run time, with a listed origin', () => {
    const credentials = process.env.CORS_CREDENTIALS === '1'
    expectTypeOf(createCors({ origin: [app], credentials })).toEqualTypeOf<CorsPolicy<unknown>>()
  })

  it('accepts readonly arrays (as const configuration)', () => {
    const origins = [app, 'https://b.example'] as const
    const methods = ['GET', 'PUT'] as const
    expectTypeOf(createCors({ origin: origins, methods, credentials: true })).toEqualTypeOf<
      CorsPolicy<unknown>
    >()
  })

  it('accepts createCors() without options', () => {
    expectTypeOf(createCors()).toEqualTypeOf<CorsPolicy<unknown>>()
  })
})

describe('decide and its decisions', () => {
  const policy = createCors({ origin: app })
  const request: CorsRequest = toCorsRequest('GET', () => null)

  it('decide returns a decision, or a promise of one when an async origin function is asked', () => {
    expectTypeOf(policy.decide(request)).toEqualTypeOf<CorsDecision | Promise<CorsDecision>>()
    expectTypeOf(policy.decide).parameter(0).toEqualTypeOf<CorsRequest>()
  })

  it('CorsRequest is read-only plain data', () => {
    expectTypeOf(request).toEqualTypeOf<{
      readonly method: string
      readonly origin: string | null
      readonly accessControlRequestMethod: string | null
      readonly accessControlRequestHeaders: string | null
      readonly header?: (name: string) => string | readonly string[] | null | undefined
    }>()
    // @ts-expect-error a request is never mutated
    request.origin = app
  })

  it('narrowing on kind separates preflights, actual requests and non-CORS requests', () => {
    const decision = {} as CorsDecision
    if (decision.kind === 'preflight') {
      expectTypeOf(decision).toEqualTypeOf<CorsPreflightAllowed | CorsRejection>()
      expectTypeOf(decision.status).toEqualTypeOf<number>()
    } else if (decision.kind === 'non-cors') {
      expectTypeOf(decision).toEqualTypeOf<CorsNonCors>()
      expectTypeOf(decision.reason).toEqualTypeOf<'no-origin' | 'disabled'>()
      expectTypeOf(decision.respond).toEqualTypeOf<false>()
    } else {
      expectTypeOf(decision).toEqualTypeOf<CorsActualAllowed | CorsRejection>()
    }
  })

  it('narrowing on allowed separates rejections, which carry a reason, a 403 and maybe an error', () => {
    const decision = {} as CorsDecision
    if (decision.allowed) {
      expectTypeOf(decision).toEqualTypeOf<CorsPreflightAllowed | CorsActualAllowed | CorsNonCors>()
      expectTypeOf(decision.reason).toEqualTypeOf<'allowed' | 'no-origin' | 'disabled'>()
    } else {
      expectTypeOf(decision).toEqualTypeOf<CorsRejection>()
      expectTypeOf(decision.status).toEqualTypeOf<403>()
      expectTypeOf(decision.error).toEqualTypeOf<unknown>()
      expectTypeOf(decision.reason).toEqualTypeOf<Exclude<CorsReason, 'allowed' | 'no-origin' | 'disabled'>>()
    }
  })

  it('headers and vary are read-only', () => {
    const decision = {} as CorsDecision
    expectTypeOf(decision.headers).toEqualTypeOf<Readonly<Record<string, string>>>()
    expectTypeOf(decision.vary).toEqualTypeOf<readonly string[]>()
    // @ts-expect-error headers are applied, never edited
    decision.headers['access-control-allow-origin'] = '*'
  })
})

describe('the adapter context', () => {
  interface NativeRequest {
    readonly url: string
    readonly user?: string
  }

  it('flows from createCors<Context> to the origin function and onReject', () => {
    const request = toCorsRequest('GET', () => null)
    const policy = createCors<NativeRequest>({
      origin: (origin, context) => {
        expectTypeOf(origin).toEqualTypeOf<string>()
        expectTypeOf(context).toEqualTypeOf<NativeRequest>()
        return context.user !== undefined
      },
      credentials: true,
      onReject: (rejection, context) => {
        expectTypeOf(rejection).toEqualTypeOf<CorsRejection>()
        expectTypeOf(context).toEqualTypeOf<NativeRequest>()
      },
    })
    expectTypeOf(policy).toEqualTypeOf<CorsPolicy<NativeRequest>>()
    expectTypeOf(policy.decide).parameter(1).toEqualTypeOf<NativeRequest | undefined>()
    const wrongContext = { path: '/' }
    // @ts-expect-error the context is the adapter's native request
    policy.decide(request, wrongContext)
  })

  it('flows through CorsOptions<Context>', () => {
    const options: CorsOptions<NativeRequest> = {
      origin: async (_origin, context) => context.url.startsWith('/api'),
      onReject: (_rejection, context) => void context.url,
    }
    expectTypeOf(createCors(options)).toEqualTypeOf<CorsPolicy<NativeRequest>>()
  })
})

describe('the rest of the public API', () => {
  it('CorsConfigError lists machine-readable issues', () => {
    const error = new CorsConfigError([])
    expectTypeOf(error).toExtend<Error>()
    expectTypeOf(error.issues).toEqualTypeOf<readonly CorsConfigIssue[]>()
    expectTypeOf(error.issues[0]!.code).toEqualTypeOf<CorsConfigIssueCode>()
    expectTypeOf(error.issues[0]!.hint).toEqualTypeOf<string>()
  })

  it('validateCorsOptions takes anything and never throws a type at the caller', () => {
    expectTypeOf(validateCorsOptions).parameter(0).toEqualTypeOf<unknown>()
    expectTypeOf(validateCorsOptions).returns.toEqualTypeOf<readonly CorsConfigIssue[]>()
  })

  it('toCorsRequest takes a method and a header getter', () => {
    expectTypeOf(toCorsRequest).returns.toEqualTypeOf<CorsRequest>()
    toCorsRequest('GET', (name) => ({ origin: app })[name])
    toCorsRequest('GET', () => ['a', 'b'])
    // @ts-expect-error a header getter returns strings
    toCorsRequest('GET', () => 42)
  })

  it('appendVary merges into what Node, Fetch or a framework holds', () => {
    expectTypeOf(appendVary).returns.toEqualTypeOf<string>()
    appendVary(undefined, ['Origin'])
    appendVary(null, ['Origin'])
    appendVary(['Accept'], ['Origin'])
    appendVary(1, ['Origin'])
  })
})
