import type { CorsHeaders, CorsReason, CorsRejection } from '../decision.ts'

/**
 * A function that decides whether an origin may read responses. It receives only origins that are
 * syntactically valid serialized origins (never `null`), and the adapter's native request object
 * (Fastify request, Koa context, Hono context, Fetch `Request`). Only `true` allows; anything else,
 * a throw or a rejected promise denies.
 */
export type CorsOriginFunction<Context = unknown> = (
  origin: string,
  context: Context,
) => boolean | Promise<boolean>

/**
 * The second parameter of an origin function written inline when no context type is known (plain
 * `createCors`). It stays as opaque as `unknown`, but calling it as the `cors` package's callback,
 * `(origin, callback) => callback(null, true)`, is a type error that says what to do.
 */
export type CorsOriginCallbackMistake = (
  fix: 'return a boolean instead of calling a callback',
  ...rest: never[]
) => never

/**
 * The options of `createCors` without a context type: an origin function written inline there gets
 * `CorsOriginCallbackMistake` as its second parameter, so the `cors` package's callback shape is a
 * one-line type error. Any `CorsOptions` value is one.
 */
export type CorsCreateOptions =
  | (Omit<CorsPublicOptions, 'origin'> & {
      origin?: Exclude<CorsOrigin, CorsOriginFunction> | CorsCheckedOrigin
    })
  | (Omit<CorsCredentialedOptions, 'origin'> & {
      origin: Exclude<CorsCredentialedOptions['origin'], CorsOriginFunction> | CorsCheckedOrigin
    })

/** An origin function as `createCors` without a context type sees it. */
export type CorsCheckedOrigin = (
  origin: string,
  context: CorsOriginCallbackMistake,
) => boolean | Promise<boolean>

/** One allowed origin: an exact serialized origin, a wildcard pattern, or an anchored RegExp. */
export type CorsOriginItem = string | RegExp

/** The value of the `origin` option. */
export type CorsOrigin<Context = unknown> =
  | '*'
  | boolean
  | CorsOriginItem
  | readonly CorsOriginItem[]
  | CorsOriginFunction<Context>

/** Called once for every rejected request, with the reason; for logging, never for the response. */
export type CorsRejectHook<Context = unknown> = (rejection: CorsRejection, context: Context) => void

interface CorsCommonOptions<Context> {
  /**
   * Methods allowed for preflighted requests, compared case-sensitively as browsers do. `'*'` allows
   * any method (not with credentials).
   * @default ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']
   */
  methods?: string | readonly string[]
  /**
   * Request headers allowed (case-insensitive). When omitted, the headers a preflight asks for are
   * reflected after validation. `'*'` allows any header but `Authorization`, which must be listed.
   */
  allowedHeaders?: string | readonly string[]
  /** Response headers the page may read, sent on actual responses only. @default none */
  exposedHeaders?: string | readonly string[]
  /** `Access-Control-Max-Age` in whole seconds (0 to 86400); `0` disables the preflight cache. */
  maxAge?: number
  /** Pass allowed preflights on to the next handler, with the CORS headers set. @default false */
  preflightContinue?: boolean
  /** Status of answered preflights, 200 to 299. @default 204 */
  optionsSuccessStatus?: number
  /** Receives every rejection (reason code and message) with the native request, for logging. */
  onReject?: CorsRejectHook<Context>
  /**
   * Also refuse (403, before the application runs) state-changing requests and WebSocket upgrades
   * that a browser sent from an origin this policy does not allow. @default false
   */
  crossOriginProtection?: boolean | CorsProtectionOptions<Context>
  /**
   * Development only: a preflight from an allowed origin that is refused for its method or headers is
   * answered like an allowed one, so the browser's console names the real failing check; rejections
   * go to `console.warn` when there is no `onReject`. Never in production. @default false
   */
  debug?: boolean
  /**
   * A candidate policy evaluated beside this one; differences go to `onShadow`, responses never change.
   * It stays across `update()`s that do not name it; `shadow: false` removes it.
   */
  shadow?: CorsOptions<Context> | false
  /** Receives each difference between this policy and its `shadow` (repeats aggregated with a count). */
  onShadow?: CorsShadowHook<Context>
}

/** The object form of `crossOriginProtection`. */
export interface CorsProtectionOptions<Context = unknown> {
  /** Report refusals to `onReject` but let the requests through. @default false */
  reportOnly?: boolean
  /** Exempts a request from the protection (webhooks, OAuth callbacks) when it returns true. */
  bypass?: (context: Context) => boolean
}

/** One way the enforced policy and its shadow answered a request differently. */
export interface CorsShadowDifference {
  /** The request's `Origin` (null without one) and method. */
  readonly origin: string | null
  readonly method: string
  readonly kind: 'preflight' | 'actual' | 'non-cors'
  /** What each policy decided. */
  readonly enforced: { readonly allowed: boolean; readonly reason: CorsReason; readonly headers: CorsHeaders }
  readonly shadow: { readonly allowed: boolean; readonly reason: CorsReason; readonly headers: CorsHeaders }
  /** How many requests showed this same difference (origin, method, reasons) since it was last reported. */
  readonly count: number
  /** A human-readable summary, for logs. */
  readonly message: string
}

/** Receives shadow differences, for logging. */
export type CorsShadowHook<Context = unknown> = (difference: CorsShadowDifference, context: Context) => void

/** Options without credentials: any `origin` form is allowed. */
export interface CorsPublicOptions<Context = unknown> extends CorsCommonOptions<Context> {
  /** Which origins may read responses. @default '*' */
  origin?: CorsOrigin<Context>
  /** Send `Access-Control-Allow-Credentials: true`. @default false */
  credentials?: false
}

/**
 * Options with credentials: an explicit `origin` is required, and it can be neither `'*'` nor `true`
 * (the types refuse `true`; `'*'` is refused when the policy is created).
 */
export interface CorsCredentialedOptions<Context = unknown> extends CorsCommonOptions<Context> {
  origin: CorsOriginItem | readonly CorsOriginItem[] | CorsOriginFunction<Context> | false
  credentials: true
}

/**
 * The options of a CORS policy, shared by every `@cors/*` adapter. Names follow the `cors` package
 * for Express.
 *
 * @example
 * const options: CorsOptions = { origin: ['https://app.example.com'], credentials: true, maxAge: 600 }
 */
export type CorsOptions<Context = unknown> = CorsPublicOptions<Context> | CorsCredentialedOptions<Context>

/** Every option name `createCors` accepts. */
export const optionNames: readonly string[] = Object.freeze([
  'origin',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
  'onReject',
  'crossOriginProtection',
  'debug',
  'shadow',
  'onShadow',
])
