import { chromeError } from './chrome-errors.ts'
import { corsCheck } from './cors-check.ts'
import { preflightHeaders, preflightNeed } from './preflight.ts'
import { preflightChecks, preflightRedirect, preflightStatus } from './preflight-checks.ts'
import { readableHeaders, readableStep } from './readable.ts'
import { follow, type Hop } from './redirect.ts'
import { type PageRequest, toPageRequest } from './request.ts'
import { type CheckResult, pass } from './result.ts'
import type {
  Diagnosis,
  DoctorFailure,
  DoctorRequest,
  DoctorResponse,
  DoctorStage,
  DoctorStep,
  Send,
  SentResponse,
} from './types.ts'

/** The run so far: the steps taken and the last answers. */
interface Run {
  readonly steps: DoctorStep[]
  preflight: DoctorResponse | null
  response: DoctorResponse | null
  failure: DoctorFailure | null
}

/**
 * Runs one fetch() through the browser's side of CORS, sending each request with `send`: the
 * preflight when one is needed, then the actual request only if the preflight passed, following
 * redirects as Fetch does for CORS requests. Throws `DoctorRequestError` for a request fetch()
 * itself would refuse; errors from `send` (network failures) propagate.
 * @see https://fetch.spec.whatwg.org/#main-fetch
 */
export async function runModel(url: string, request: DoctorRequest, send: Send): Promise<Diagnosis> {
  const page = toPageRequest(request)
  const run: Run = { steps: [], preflight: null, response: null, failure: null }
  if (page.dropped.length > 0) {
    const names = page.dropped.join(', ')
    record(run, 'preflight', {
      check: 'request-headers',
      ok: true,
      message: `fetch() drops ${names}: a page may never set it, so it is not sent`,
      fix: '',
    })
  }
  let hop: Hop = { url, method: page.method, headers: page.headers, origin: page.origin, redirects: 0 }
  for (;;) {
    const answer = await exchange(run, page, hop, send)
    if (answer === null) return finish(run, [])
    const next = follow(hop, answer, page)
    if (next === null) break
    if (!record(run, 'actual', next.result)) return finish(run, [])
    hop = next.hop
  }
  const final = run.response!
  record(run, 'actual', readableStep(final, page.credentials))
  return finish(run, readableHeaders(final, page.credentials))
}

/** What the preflight's checks need to know about the request it asks for. */
export interface PreflightAsk {
  readonly origin: string
  readonly method: string
  readonly unsafeNames: readonly string[]
  readonly credentials: boolean
}

/**
 * The checks of a preflight's answer, in the browser's order, up to and including the first that
 * fails. @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 steps 6-7
 */
export function checkPreflight(answer: DoctorResponse, ask: PreflightAsk): CheckResult[] {
  const checks: (() => CheckResult[])[] = [
    () => [preflightRedirect(answer)].filter((result) => result !== null),
    () => [corsCheck(answer, ask, true)],
    () => [preflightStatus(answer)],
    () => preflightChecks(answer, ask.method, ask.unsafeNames, ask.credentials),
  ]
  const results: CheckResult[] = []
  for (const check of checks) {
    for (const result of check()) {
      results.push(result)
      if (!result.ok) return results
    }
  }
  return results
}

// Chromium keeps a preflight's answer at most 2 hours, whatever Max-Age says.
const chromiumMaxAge = 7200

/**
 * A note when a passing preflight may be cached: the browser reuses its answer for that long, so
 * a server change (a fix, or a regression) can seem not to take effect.
 * @see https://fetch.spec.whatwg.org/#http-access-control-max-age
 */
export function preflightCache(answer: DoctorResponse): CheckResult | null {
  const raw = answer.headers['access-control-max-age']
  const seconds = raw === undefined ? Number.NaN : Number(raw)
  if (!Number.isInteger(seconds) || seconds <= 0) return null
  const kept = Math.min(seconds, chromiumMaxAge)
  const capped = seconds > chromiumMaxAge ? ` (Chromium caps it at ${chromiumMaxAge} s, 2 hours)` : ''
  return pass(
    'preflight-cache',
    `the preflight's answer says \`Access-Control-Max-Age: ${raw}\`: a browser may reuse it for up to ${kept} s${capped} without asking again, so a change on the server (a fix included) can look like it did nothing until then; test in a new private window`,
  )
}

/** One hop: preflight if needed, then the actual request and its CORS check. `null` when blocked. */
async function exchange(run: Run, page: PageRequest, hop: Hop, send: Send): Promise<SentResponse | null> {
  const need = preflightNeed({ ...page, method: hop.method, headers: hop.headers })
  record(run, 'preflight', { check: 'preflight-needed', ok: true, message: need.message, fix: '' })
  if (need.needed) {
    const answer = await send({
      url: hop.url,
      method: 'OPTIONS',
      headers: preflightHeaders(hop.origin, hop.method, need.unsafeNames),
      credentials: false,
      preflight: true,
    })
    run.preflight = { status: answer.status, headers: answer.headers }
    noteReason(run, 'preflight', answer)
    const input = { origin: hop.origin, method: hop.method, unsafeNames: need.unsafeNames }
    for (const result of checkPreflight(answer, { ...input, credentials: page.credentials }))
      if (!record(run, 'preflight', result)) return null
    const cache = preflightCache(answer)
    if (cache !== null) record(run, 'preflight', cache)
  }
  const headers: Record<string, string> = Object.fromEntries(hop.headers)
  headers['origin'] = hop.origin
  const answer = await send({
    url: hop.url,
    method: hop.method,
    headers,
    credentials: page.credentials,
    preflight: false,
  })
  run.response = { status: answer.status, headers: answer.headers }
  noteReason(run, 'actual', answer)
  // Every response of a CORS request is checked, redirects included. @see https://fetch.spec.whatwg.org/#http-fetch step 4.6
  const ok = record(
    run,
    'actual',
    corsCheck(answer, { origin: hop.origin, credentials: page.credentials }, false),
  )
  if (!ok) return null
  return answer
}

function noteReason(run: Run, stage: DoctorStage, answer: SentResponse): void {
  const reason = answer.reason
  if (reason === undefined) return
  const ok = reason.code === 'allowed' || reason.code === 'no-origin'
  const what = stage === 'preflight' ? 'the preflight' : 'the request'
  const message = ok
    ? `the server's policy allowed ${what} (${reason.code})`
    : `the server's policy refused ${what}: ${reason.code} (${reason.message})`
  run.steps.push({ stage, check: 'server-reason', ok, message })
}

/** Adds a step; on failure also the run's failure. Returns whether the check passed. */
function record(run: Run, stage: DoctorStage, result: CheckResult): boolean {
  run.steps.push({ stage, check: result.check, ok: result.ok, message: result.message })
  if (!result.ok) run.failure = toFailure(stage, result)
  return result.ok
}

/** A failed check as the diagnosis reports it, with the name DevTools gives it. */
export function toFailure(stage: DoctorStage, result: CheckResult): DoctorFailure {
  const { check, message, fix } = result
  return { stage, check, message, fix, chromeError: chromeError(check, stage) }
}

function finish(run: Run, readable: readonly string[]): Diagnosis {
  const { preflight, response, steps, failure } = run
  if (failure === null)
    return { verdict: 'allowed', preflight, response, readableHeaders: readable, failure, steps }
  return { verdict: 'blocked', preflight, response, readableHeaders: [], failure, steps }
}
