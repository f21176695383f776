import { type DiagnoseOptions, DoctorNetworkError, diagnose, networkErrorDiagnosis } from './diagnose.ts'
import type { Diagnosis, ErrorDiagnosis } from './types.ts'

/** One request a real page makes, and the verdict it must get. */
export interface Expectation {
  readonly url: string
  readonly origin: string
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly credentials?: boolean
  /** `allowed` for the pages that must work, `blocked` for origins that must stay out. */
  readonly expect: 'allowed' | 'blocked'
}

/** One expectation, checked: `got` is the usual diagnosis (verdict `error` when the server could not be asked). */
export interface ExpectationResult {
  readonly request: Omit<Expectation, 'expect'>
  readonly expect: 'allowed' | 'blocked'
  readonly got: Diagnosis | ErrorDiagnosis
  readonly ok: boolean
}

/** What `cors-doctor check --json` prints. */
export interface ExpectationReport {
  readonly verdict: 'as-expected' | 'unexpected'
  readonly results: readonly ExpectationResult[]
}

/**
 * Diagnoses each request over the network, one after the other, and compares the verdict with
 * the expected one: for CI after a deploy (a partner that would break, a stranger that would get
 * in). A request fetch() itself would refuse throws `DoctorRequestError`.
 *
 * @example
 * const report = await checkExpectations([
 *   { url: 'https://api.example.com/todos', origin: 'https://app.example.com', expect: 'allowed' },
 *   { url: 'https://api.example.com/todos', origin: 'https://evil.example', expect: 'blocked' },
 * ])
 * if (report.verdict === 'unexpected') process.exitCode = 1
 */
export async function checkExpectations(
  list: readonly Expectation[],
  options: Omit<DiagnoseOptions, 'pageAddressSpace'> = {},
): Promise<ExpectationReport> {
  const results: ExpectationResult[] = []
  for (const { expect, ...request } of list) {
    let got: Diagnosis | ErrorDiagnosis
    try {
      got = await diagnose(request.url, request, options)
    } catch (error) {
      if (!(error instanceof DoctorNetworkError)) throw error
      got = networkErrorDiagnosis(error)
    }
    results.push({ request, expect, got, ok: got.verdict === expect })
  }
  return { verdict: results.every((result) => result.ok) ? 'as-expected' : 'unexpected', results }
}
