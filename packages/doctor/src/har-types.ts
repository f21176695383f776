import type { DoctorFailure, DoctorStep } from './types.ts'

/** A header of a HAR entry. */
export interface HarHeader {
  readonly name: string
  readonly value: string
}

/** The parts of a HAR 1.2 entry the doctor reads (DevTools and Playwright add `_` fields). */
export interface HarEntry {
  readonly pageref?: string
  readonly request: {
    readonly method: string
    readonly url: string
    readonly headers: readonly HarHeader[]
    readonly cookies?: readonly unknown[]
  }
  readonly response: {
    readonly status: number
    readonly headers: readonly HarHeader[]
    readonly redirectURL?: string
    /** DevTools: why the request failed, e.g. `net::ERR_FAILED`. */
    readonly _error?: string | null
    /** Playwright's name for the same. */
    readonly _failureText?: string
  }
  /** DevTools: `preflight`, `fetch`, `xhr`, `document`… */
  readonly _resourceType?: string
}

/** A HAR export: `{ log: { entries } }`. */
export interface Har {
  readonly log: {
    readonly pages?: readonly { readonly id: string; readonly title?: string }[]
    readonly entries: readonly HarEntry[]
  }
}

/** One cross-origin request of the HAR, judged. `url` is the URL the page asked for. */
export interface HarRequest {
  readonly url: string
  readonly method: string
  /** `error`: it failed for a reason that is not CORS (a network error), listed as such. */
  readonly verdict: 'allowed' | 'blocked' | 'error'
  readonly failure: DoctorFailure | null
  readonly steps: readonly DoctorStep[]
}

/** Requests that failed the same check, with the hosts they went to. */
export interface HarGroup {
  readonly check: DoctorFailure['check']
  readonly count: number
  readonly hosts: readonly string[]
  readonly fix: string
}

/** What `cors-doctor --har --json` prints: `blocked` when any request failed a CORS check. */
export interface HarDiagnosis {
  readonly verdict: 'allowed' | 'blocked'
  readonly requests: readonly HarRequest[]
  readonly groups: readonly HarGroup[]
}
