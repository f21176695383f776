/**
 * Where a check happened: before any CORS step (mixed content, Local Network Access), on the
 * preflight (OPTIONS) exchange, or on the actual request.
 */
export type DoctorStage = 'before-cors' | 'preflight' | 'actual'

/**
 * Every check the browser model makes, by a stable kebab-case code. The codes shared with
 * `@cors/core`'s rejection reasons (`method-not-allowed`, `header-not-allowed`,
 * `authorization-not-covered`) name the same failure seen from the two sides.
 */
export type DoctorCheck =
  // Steps that pass (or only inform) under a neutral name.
  | 'request-headers'
  | 'cors-check'
  | 'allow-methods'
  | 'allow-headers'
  // Failures, each with its own code.
  | 'preflight-needed'
  | 'server-reason'
  | 'preflight-redirect'
  | 'allow-origin-missing'
  | 'allow-origin-multiple'
  | 'allow-origin-wildcard-with-credentials'
  | 'allow-origin-mismatch'
  | 'allow-credentials-missing'
  | 'preflight-status'
  | 'allow-methods-invalid'
  | 'allow-headers-invalid'
  | 'method-not-allowed'
  | 'method-wildcard-with-credentials'
  | 'authorization-not-covered'
  | 'header-not-allowed'
  | 'header-wildcard-with-credentials'
  | 'redirect'
  | 'redirect-credentials'
  | 'redirect-limit'
  | 'readable-headers'
  | 'preflight-cache'
  | 'page-address-space'
  // Failures that come before CORS, and the server refusing or missing the preflight.
  | 'mixed-content'
  | 'local-network-access'
  | 'preflight-refused'
  // A HAR entry the browser blocked whose response the HAR does not hold.
  | 'response-not-recorded'
  // The server could not be asked (`verdict: 'error'`).
  | 'network-error'

/** A response as the browser model sees it: a status and lower-case header names. */
export interface DoctorResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

/** The request a page makes: `fetch(url, { method, headers, credentials: 'include' | 'same-origin' })`. */
export interface DoctorRequest {
  /** The page's origin, e.g. `https://app.example.com`. */
  readonly origin: string
  /** @default 'GET' */
  readonly method?: string
  /** Headers the page sets, as a record or a list of `[name, value]` pairs. */
  readonly headers?: Readonly<Record<string, string>> | readonly (readonly [string, string])[]
  /** `credentials: 'include'`: cookies are sent and the stricter checks apply. @default false */
  readonly credentials?: boolean
}

/** One check the model made, in order. */
export interface DoctorStep {
  readonly stage: DoctorStage
  readonly check: DoctorCheck
  readonly ok: boolean
  readonly message: string
}

/**
 * The name Chromium's DevTools shows for a CORS failure (Chrome DevTools Protocol
 * `Network.CorsError`), so a search for what DevTools says lands on the doctor's explanation.
 */
export type ChromeCorsError =
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'WildcardOriginNotAllowed'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials'
  | 'LocalNetworkAccessPermissionDenied'

/** The check that blocked the request, with a fix phrased for the server's owner. */
export interface DoctorFailure {
  readonly stage: DoctorStage
  readonly check: DoctorCheck
  readonly message: string
  /** What the server must send, then (for `@cors/*` servers) the option that sends it. */
  readonly fix: string
  /** What DevTools calls this failure, or `null` when it is not a CORS error there (a redirect loop, mixed content, a network error). */
  readonly chromeError: ChromeCorsError | null
}

interface DiagnosisFields {
  /** The preflight's answer, or `null` when no preflight was needed (or sent). */
  readonly preflight: DoctorResponse | null
  /** The actual request's answer, or `null` when the browser would not have sent it. */
  readonly response: DoctorResponse | null
  /** Response header names (lower case) the page could read. */
  readonly readableHeaders: readonly string[]
  readonly steps: readonly DoctorStep[]
}

/** A browser would let the page read the response. */
export interface AllowedDiagnosis extends DiagnosisFields {
  readonly verdict: 'allowed'
  readonly failure: null
}

/** A browser would block the request or the read; `failure` says which check and the fix. */
export interface BlockedDiagnosis extends DiagnosisFields {
  readonly verdict: 'blocked'
  readonly failure: DoctorFailure
}

/** The server could not be asked (`failure.check` is `network-error`): what `--json` prints then, exit 2. */
export interface ErrorDiagnosis extends DiagnosisFields {
  readonly verdict: 'error'
  readonly failure: DoctorFailure & { readonly check: 'network-error' }
}

/**
 * The whole answer, a union on `verdict`: `failure` is `null` exactly when the verdict is
 * `allowed`. Its JSON form is what `cors-doctor --json` prints.
 */
export type Diagnosis = AllowedDiagnosis | BlockedDiagnosis

/** A request as sent on the wire by the model: what `send` receives. */
export interface OutgoingRequest {
  readonly url: string
  readonly method: string
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** Whether cookies would go with it (never on a preflight). */
  readonly credentials: boolean
  readonly preflight: boolean
}

/** What `send` answers: the response, and optionally the server's own reason (from `@cors/core`). */
export interface SentResponse extends DoctorResponse {
  readonly reason?: { readonly code: string; readonly message: string } | undefined
}

/** Sends one request for the model: over the network (`diagnose`) or through a policy (`explain`). */
export type Send = (request: OutgoingRequest) => Promise<SentResponse>
