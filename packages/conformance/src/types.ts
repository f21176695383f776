import type { CorsOptions } from '@cors/core'

/**
 * The application every adapter driver builds around the policy under test. Each route is the same
 * in every framework, so one table can describe the composed response:
 *
 * | path              | methods                           | answer                                              |
 * |-------------------|-----------------------------------|-----------------------------------------------------|
 * | `/ok`             | GET POST PUT PATCH DELETE OPTIONS | 200 `ok`                                            |
 * | `/get-only`       | GET                               | 200 `ok` (no OPTIONS handler of its own)            |
 * | `/vary`           | GET                               | 200, sets `Vary: Accept-Encoding`                   |
 * | `/vary-origin`    | GET                               | 200, sets `Vary: origin` (lower case on purpose)    |
 * | `/throw`          | GET                               | the handler throws `new Error('boom')`: 500         |
 * | `/error-response` | GET                               | the handler returns 500 `failed` itself             |
 * | `/redirect`       | GET                               | 302 to `/ok`                                        |
 * | `/immutable`      | GET                               | 200 whose headers are immutable where that exists   |
 * |                   |                                   | (Fetch: a `fetch('data:...')` response); 200 else   |
 * | `/auth`           | GET POST PUT                      | an authentication step first: 401 without           |
 * |                   |                                   | `Authorization`, else 200 `ok`                      |
 * | `/slow`           | GET POST DELETE                   | 200 `ok` after a random 0-4 ms wait, so requests in |
 * |                   |                                   | flight interleave inside the handler too            |
 * | `/upstream-cors`  | GET                               | 200 `ok` whose handler (or the upstream it proxies) |
 * |                   |                                   | sets `upstreamCorsHeaders` itself                   |
 * | anything else     |                                   | the framework's 404                                 |
 *
 * A handler "runs" when a route handler (not the 404, not the authentication refusal) is called.
 */
export const routes: readonly string[] = [
  '/ok',
  '/get-only',
  '/vary',
  '/vary-origin',
  '/throw',
  '/error-response',
  '/redirect',
  '/immutable',
  '/auth',
  '/slow',
  '/upstream-cors',
]

/** The Access-Control-* headers the `/upstream-cors` handler sets on its own response. */
export const upstreamCorsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'x-upstream',
  'access-control-max-age': '1',
}

/** One request sent through the framework's own request API. */
export interface ConformanceRequest {
  readonly method: string
  readonly path: string
  /**
   * Header names in lower case. An array is the same header sent on several lines (two `Origin`
   * lines, a list split over many `Access-Control-Request-Headers` lines); `headerLines` and
   * `headerRecord` turn it into what each request API takes.
   */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
}

/** What the composed response must look like. */
export interface ConformanceWant {
  readonly status: number
  /** Headers that must be present with exactly these values (names in lower case). */
  readonly headers?: Readonly<Record<string, string>>
  /** Headers that must be absent. */
  readonly absentHeaders?: readonly string[]
  /** `true`: no `access-control-*` header at all. */
  readonly noCorsHeaders?: boolean
  /** Names that must each appear exactly once in `Vary` (case-insensitive), besides any others. */
  readonly vary?: readonly string[]
  /** Names that must not appear in `Vary`. */
  readonly varyAbsent?: readonly string[]
  /** Whether a route handler ran. */
  readonly handlerCalled: boolean
}

export interface ConformanceCase {
  readonly name: string
  readonly request: ConformanceRequest
  readonly want: ConformanceWant
}

/** A policy and the requests that exercise it. */
export interface ConformanceGroup {
  readonly name: string
  readonly options: CorsOptions
  readonly cases: readonly ConformanceCase[]
}

/** The composed response as a driver reports it. */
export interface ConformanceResponse {
  readonly status: number
  /** Every response header, names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly handlerCalled: boolean
  /** The response body as text (`''` when empty); the adversarial suite requires it. */
  readonly body?: string
}

/** Sends one request through the framework under test. */
export type ConformanceClient = (request: ConformanceRequest) => Promise<ConformanceResponse>

/** Builds the application above around a policy, with the adapter under test. */
export type MakeClient = (options: CorsOptions) => ConformanceClient | Promise<ConformanceClient>

/** What the HTTP layer in front of the adapter refuses before the adapter runs. */
export interface AdversarialTransport {
  /**
   * Requests whose header lines add up to more bytes than this are answered `431` by the HTTP
   * server itself (Node's `--max-http-header-size`, 16 KiB by default). Omit it for request APIs
   * without a socket (`app.inject`, `app.request`, a direct `handler(new Request())`).
   */
  readonly maxHeaderBytes?: number
  /**
   * The framework replaces a falsy options value with `{}` before the adapter sees it (Fastify's
   * plugin loader does `opts || {}`), so `null` cannot be told from "no options" there.
   */
  readonly falsyOptionsMeanNone?: boolean
}
