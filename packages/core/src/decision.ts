/**
 * The request as the CORS protocol sees it: four values read from the native request, `null` when
 * absent or empty. Build it with `toCorsRequest`.
 */
export interface CorsRequest {
  readonly method: string
  readonly origin: string | null
  readonly accessControlRequestMethod: string | null
  readonly accessControlRequestHeaders: string | null
  /**
   * The adapter's header getter, kept as it was given (no copy, no wrapper), so a feature that needs
   * another header (`crossOriginProtection` reads `Sec-Fetch-Site`, `Host`, `Upgrade`) reads it only
   * on the requests where it matters. Set by `toCorsRequest`; without it those headers count as absent.
   */
  readonly header?: (name: string) => string | readonly string[] | null | undefined
}

/** Why a decision was made; every value other than `allowed`, `no-origin` and `disabled` is a rejection. */
export type CorsReason =
  | 'allowed'
  | 'no-origin'
  | 'disabled'
  | 'origin-not-allowed'
  | 'origin-check-failed'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'authorization-not-covered'
  | 'request-headers-invalid'
  | 'request-headers-too-large'
  | 'cross-origin-request-refused'
  | 'websocket-origin-refused'

/** Response headers to set: lower-case names to values. */
export type CorsHeaders = Readonly<Record<string, string>>

interface DecisionBase {
  /** Headers to set on the response (lower-case names). Empty when the request is rejected. */
  readonly headers: CorsHeaders
  /** Names to merge into the response's `Vary` with `appendVary`; never to replace it. */
  readonly vary: readonly string[]
  /**
   * CORS response headers (`access-control-*`) the policy owns but does not send here: remove them
   * from the response, so an application's or upstream's value never reaches the browser.
   */
  readonly unset: readonly string[]
  /** Whether the adapter answers now with `status` and an empty body, instead of calling the application. */
  readonly respond: boolean
  readonly reason: CorsReason
  /** A human-readable explanation, for logs only: never put it in a response. */
  readonly message: string
}

/** A preflight the policy allows: answer it (or, with `preflightContinue`, pass it on). */
export interface CorsPreflightAllowed extends DecisionBase {
  readonly kind: 'preflight'
  readonly allowed: true
  readonly status: number
  readonly reason: 'allowed'
}

/** A request from an origin (not a preflight) that the policy allows: add the headers and go on. */
export interface CorsActualAllowed extends DecisionBase {
  readonly kind: 'actual'
  readonly allowed: true
  readonly respond: false
  readonly reason: 'allowed'
}

/** A request without `Origin`, or any request when CORS is disabled: go on, merging only `Vary`. */
export interface CorsNonCors extends DecisionBase {
  readonly kind: 'non-cors'
  readonly allowed: true
  readonly respond: false
  readonly reason: 'no-origin' | 'disabled'
}

/**
 * A rejected request. A rejected preflight is answered `403` with no CORS headers; a rejected actual
 * request goes on to the application without CORS headers, and the browser blocks the read.
 */
export interface CorsRejection extends DecisionBase {
  readonly kind: 'preflight' | 'actual'
  readonly allowed: false
  readonly reason: Exclude<CorsReason, 'allowed' | 'no-origin' | 'disabled'>
  /** The status a rejected preflight is answered with. */
  readonly status: 403
  /** What an origin function threw or rejected with (`origin-check-failed` only). */
  readonly error?: unknown
}

/** What the policy decided for one request. Adapters only apply it. */
export type CorsDecision = CorsPreflightAllowed | CorsActualAllowed | CorsNonCors | CorsRejection

/**
 * A frozen header record made of the parts' own keys. An ordinary object on purpose: V8 keeps one
 * without a prototype in slow dictionary mode, which made every write 2 to 3 times slower. So that
 * a polluted `Object.prototype` never becomes a header, every writer reads own keys only
 * (`Object.keys`), and adapters never hand a record to a framework API that iterates with `for...in`.
 */
export function headerRecord(...parts: Readonly<Record<string, string>>[]): CorsHeaders {
  return Object.freeze(Object.assign({}, ...parts))
}

export const noHeaders: CorsHeaders = headerRecord()

/**
 * Builds a `CorsRequest` from a method and a header getter, so each adapter needs one line and the
 * core owns the list of headers it reads. Empty header values count as absent.
 *
 * @example
 * const req = toCorsRequest(request.method, (name) => request.headers.get(name))
 */
export function toCorsRequest(
  method: string,
  getHeader: (name: string) => string | readonly string[] | null | undefined,
): CorsRequest {
  const origin = headerValue(getHeader('origin'))
  // The request-method and request-headers values only matter to a preflight (OPTIONS with an
  // Origin), so they are not read for anything else: they would never change the decision.
  const preflight = method === 'OPTIONS' && origin !== null
  return {
    method,
    origin,
    accessControlRequestMethod: preflight ? headerValue(getHeader('access-control-request-method')) : null,
    accessControlRequestHeaders: preflight ? headerValue(getHeader('access-control-request-headers')) : null,
    header: getHeader,
  }
}

// Several lines of one header are joined as HTTP does. For Access-Control-Request-Headers that is
// still one list; two Origin lines are not one origin, so the joined value fails validation.
/** A header value as the core sees it: lines joined with ", ", absent or empty as `null`. */
export function headerValue(value: string | readonly string[] | null | undefined): string | null {
  // Anything but a string or a list of them (a polluted prototype, a framework quirk) is absent.
  const joined = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : ''
  return joined === '' ? null : joined
}
