import { corsCheck } from './cors-check.ts'
import type { Har, HarDiagnosis, HarEntry, HarGroup, HarRequest } from './har-types.ts'
import { checkPreflight, toFailure } from './model.ts'
import { readableStep } from './readable.ts'
import { follow, type Hop } from './redirect.ts'
import type { PageRequest } from './request.ts'
import { type CheckResult, fail } from './result.ts'
import type { DoctorFailure, DoctorResponse, DoctorStage, DoctorStep } from './types.ts'

// Request types that are CORS requests (mode "cors") when they cross origins; <img>, <script> and
// the like are no-cors unless they carry an Origin header.
const corsTypes = new Set(['fetch', 'xhr', 'preflight', 'eventsource'])

/**
 * Every cross-origin CORS request of a HAR export (DevTools "Save all as HAR", or a browser
 * context's `recordHar`), judged with the same checks as `diagnose()`: preflights paired with their
 * actual requests, redirects followed and named by the URL the page asked for, failed entries
 * without a response told apart from network errors. Offline and synchronous.
 *
 * @example
 * const { verdict, groups } = diagnoseHar(JSON.parse(readFileSync('session.har', 'utf8')))
 */
export function diagnoseHar(har: Har): HarDiagnosis {
  const entries = har.log.entries
  const used = new Set<number>()
  const documents = documentOrigins(entries)
  const requests: HarRequest[] = []
  entries.forEach((entry, index) => {
    if (used.has(index)) return
    const origin = pageOrigin(entry, documents)
    if (origin === null || !isCors(entry, origin)) return
    used.add(index)
    requests.push(judge(entries, index, origin, used))
  })
  const blocked = requests.some((request) => request.verdict === 'blocked')
  return { verdict: blocked ? 'blocked' : 'allowed', requests, groups: groupByCause(requests) }
}

const header = (headers: readonly { name: string; value: string }[], name: string): string | undefined =>
  headers.find((item) => item.name.toLowerCase() === name)?.value

function responseOf(entry: HarEntry): DoctorResponse {
  const headers: Record<string, string> = {}
  for (const { name, value } of entry.response.headers) {
    const lower = name.toLowerCase()
    // A HAR lists a repeated header once per line; a browser sees them joined.
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`
  }
  return { status: entry.response.status, headers }
}

const isPreflight = (entry: HarEntry): boolean =>
  entry._resourceType === 'preflight' ||
  (entry.request.method === 'OPTIONS' &&
    header(entry.request.headers, 'access-control-request-method') !== undefined)

function documentOrigins(entries: readonly HarEntry[]): Map<string, string> {
  const origins = new Map<string, string>()
  for (const entry of entries) {
    if (entry._resourceType !== 'document' || entry.pageref === undefined) continue
    if (!origins.has(entry.pageref)) origins.set(entry.pageref, new URL(entry.request.url).origin)
  }
  return origins
}

function pageOrigin(entry: HarEntry, documents: Map<string, string>): string | null {
  const origin = header(entry.request.headers, 'origin')
  if (origin !== undefined && origin !== 'null') return origin
  const fromPage = entry.pageref === undefined ? undefined : documents.get(entry.pageref)
  if (fromPage !== undefined) return fromPage
  const referer = header(entry.request.headers, 'referer')
  return referer === undefined ? null : URL.canParse(referer) ? new URL(referer).origin : null
}

function isCors(entry: HarEntry, origin: string): boolean {
  if (!URL.canParse(entry.request.url) || new URL(entry.request.url).origin === origin) return false
  return header(entry.request.headers, 'origin') !== undefined || corsTypes.has(entry._resourceType ?? '')
}

/** The run of one request: its steps and its first failure. */
interface Judged {
  readonly steps: DoctorStep[]
  failure: DoctorFailure | null
}

function record(judged: Judged, stage: DoctorStage, result: CheckResult): boolean {
  judged.steps.push({ stage, check: result.check, ok: result.ok, message: result.message })
  if (!result.ok) judged.failure = toFailure(stage, result)
  return result.ok
}

/**
 * Judges one request. A HAR does not record the credentials mode: cookies sent mean credentials;
 * and when the browser failed a request (`net::ERR_FAILED`) whose recorded answers pass without
 * credentials (or whose failure they do not explain), it had them when that explains the failure
 * (`credentials: 'include'` on a page without cookies for that host).
 */
function judge(entries: readonly HarEntry[], index: number, origin: string, used: Set<number>): HarRequest {
  const taken = new Set(used)
  const plain = judgeWith(entries, index, origin, used, false)
  const mine = [index, ...[...used].filter((other) => !taken.has(other))]
  const unexplained = plain.verdict === 'allowed' || plain.failure?.check === 'response-not-recorded'
  if (!unexplained || !mine.some((other) => failedInBrowser(entries[other]!))) return plain
  const strict = judgeWith(entries, index, origin, new Set(taken), true)
  if (strict.verdict !== 'blocked' || strict.failure?.check === 'response-not-recorded') return plain
  const note = {
    stage: 'actual' as const,
    check: 'cors-check' as const,
    ok: true,
    message:
      "the browser failed this request although its answers pass without credentials: the page sent it with credentials: 'include'",
  }
  return { ...strict, steps: [note, ...strict.steps] }
}

/** Whether the browser failed this entry as it fails CORS errors. */
const failedInBrowser = (entry: HarEntry): boolean =>
  (entry.response._error ?? entry.response._failureText ?? '').includes('ERR_FAILED')

function judgeWith(
  entries: readonly HarEntry[],
  index: number,
  origin: string,
  used: Set<number>,
  withCredentials: boolean,
): HarRequest {
  const first = entries[index]!
  const url = first.request.url
  const preflight = isPreflight(first) ? first : undefined
  const method = preflight
    ? (header(first.request.headers, 'access-control-request-method') ?? 'GET')
    : first.request.method
  const actualIndex = preflight ? nextEntry(entries, index, url, used, method) : index
  const actual = actualIndex === undefined ? undefined : entries[actualIndex]
  // A recording may list the actual request before its preflight (both start together).
  const asked = preflight ?? laterPreflight(entries, index, url, method, used)
  const credentials = withCredentials || hasCookies(actual ?? first)
  const judged: Judged = { steps: [], failure: null }
  const ok = asked === undefined || judgePreflight(judged, asked, { origin, method, credentials })
  if (ok && actual !== undefined && actualIndex !== undefined) {
    judgeChain(judged, entries, actualIndex, { origin, method, credentials, url }, used)
  }
  const { failure, steps } = judged
  const verdict = failure === null ? 'allowed' : failure.check === 'network-error' ? 'error' : 'blocked'
  return { url, method, verdict, failure, steps }
}

function nextEntry(
  entries: readonly HarEntry[],
  after: number,
  url: string,
  used: Set<number>,
  method?: string,
): number | undefined {
  for (let index = after + 1; index < entries.length; index++) {
    const entry = entries[index]!
    if (used.has(index) || isPreflight(entry) || entry.request.url !== url) continue
    if (method !== undefined && entry.request.method !== method) continue
    used.add(index)
    return index
  }
  return undefined
}

function laterPreflight(
  entries: readonly HarEntry[],
  after: number,
  url: string,
  method: string,
  used: Set<number>,
): HarEntry | undefined {
  for (let index = after + 1; index < entries.length; index++) {
    const entry = entries[index]!
    if (used.has(index) || !isPreflight(entry) || entry.request.url !== url) continue
    if (header(entry.request.headers, 'access-control-request-method') !== method) continue
    used.add(index)
    return entry
  }
  return undefined
}

function hasCookies(entry: HarEntry): boolean {
  return header(entry.request.headers, 'cookie') !== undefined || (entry.request.cookies?.length ?? 0) > 0
}

interface Ask {
  readonly origin: string
  readonly method: string
  readonly credentials: boolean
}

function judgePreflight(judged: Judged, preflight: HarEntry, ask: Ask): boolean {
  if (preflight.response.status <= 0) return record(judged, 'preflight', unanswered(preflight, ask))
  const requested = header(preflight.request.headers, 'access-control-request-headers') ?? ''
  const unsafeNames = requested
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  for (const result of checkPreflight(responseOf(preflight), { ...ask, unsafeNames })) {
    if (!record(judged, 'preflight', result)) return false
  }
  return true
}

/** The actual request and the redirects it followed, each found as the next entry for its URL. */
function judgeChain(
  judged: Judged,
  entries: readonly HarEntry[],
  start: number,
  ask: Ask & { readonly url: string },
  used: Set<number>,
): void {
  const page: PageRequest = { ...ask, headers: [], dropped: [] }
  let hop: Hop = { url: ask.url, method: ask.method, headers: [], origin: ask.origin, redirects: 0 }
  let entry = entries[start]!
  let index = start
  for (;;) {
    if (entry.response.status <= 0) {
      record(judged, 'actual', unanswered(entry, { ...ask, method: hop.method }))
      return
    }
    const response = responseOf(entry)
    if (
      !record(
        judged,
        'actual',
        corsCheck(response, { origin: hop.origin, credentials: ask.credentials }, false),
      )
    )
      return
    const next = follow(hop, response, page)
    if (next === null) {
      record(judged, 'actual', readableStep(response, ask.credentials))
      return
    }
    if (!record(judged, 'actual', next.result)) return
    const found = nextEntry(entries, index, next.hop.url, used)
    if (found === undefined) return
    hop = next.hop
    index = found
    entry = entries[found]!
  }
}

/** A failed entry without a response: blocked for CORS (`net::ERR_FAILED`) or a network error. */
function unanswered(entry: HarEntry, ask: Ask): CheckResult {
  const text = entry.response._error ?? entry.response._failureText ?? ''
  const { url } = entry.request
  if (text === '' || text.includes('ERR_FAILED')) {
    const method = ask.method === 'GET' ? '' : ` -X ${ask.method}`
    return fail(
      'response-not-recorded',
      `the browser blocked it (${text || `status ${entry.response.status}`}); the HAR holds no response to say which check failed`,
      `ask the server as the browser does: cors-doctor ${url} --origin ${ask.origin}${method}${ask.credentials ? ' --credentials' : ''} (add the page's -H headers); or paste the console's red line into cors-doctor explain`,
    )
  }
  return fail(
    'network-error',
    `the request failed before any CORS check: ${text}`,
    'not a CORS failure: check that the server is reachable (host, port, TLS) and that no extension or proxy blocked it',
  )
}

function groupByCause(requests: readonly HarRequest[]): HarGroup[] {
  const groups = new Map<
    string,
    { check: HarGroup['check']; count: number; hosts: Set<string>; fix: string }
  >()
  for (const request of requests) {
    const { failure } = request
    if (request.verdict !== 'blocked' || failure === null) continue
    const group = groups.get(failure.check) ?? {
      check: failure.check,
      count: 0,
      hosts: new Set(),
      fix: failure.fix,
    }
    group.count++
    group.hosts.add(new URL(request.url).host)
    groups.set(failure.check, group)
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count)
    .map(({ check, count, hosts, fix }) => ({ check, count, hosts: [...hosts].sort(), fix }))
}
