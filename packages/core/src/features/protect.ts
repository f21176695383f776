import type { NormalizedProtection } from '../config/validate-features.ts'
import type { Compiled } from '../decide/compile.ts'
import type { Decide } from '../decide/decide.ts'
import { failedHook, once, thenOf } from '../decide/hooks.ts'
import { describeError, type OnReject, quote, rejection, reported } from '../decide/reject.ts'
import { type CorsDecision, type CorsRejection, type CorsRequest, headerValue } from '../decision.ts'
import { defaultPorts, parseRequestOrigin } from '../fetch/origin.ts'
import { type ProtectionReport, reportOnlyWarnings } from './report-only.ts'

// A value seen on the request, for the log message: as it is when it is a short run of visible
// characters (`Sec-Fetch-Site: cross-site`), else quoted and escaped.
const shown = (value: string): string => (/^[!-~]{1,200}$/.test(value) ? value : quote(value))

function read(request: CorsRequest, name: string): string | null {
  const header = request.header
  return header === undefined ? null : headerValue(header(name))
}

// HTTP/2 carries the host in `:authority`, which some servers do not copy into `host`; a Fetch
// `Headers` refuses that name, and then there is simply no host to compare with.
export function hostOf(request: CorsRequest): string | null {
  const host = read(request, 'host')
  if (host !== null) return host
  try {
    return read(request, ':authority')
  } catch {
    return null
  }
}

/**
 * Whether `origin` names the host the request was sent to: its host and port equal `Host` (a port
 * written out that is the origin scheme's default counts as the same). The scheme is not compared,
 * as in Go's CrossOriginProtection: the server behind a TLS proxy cannot tell it.
 */
export function sameHost(origin: string, host: string | null): boolean {
  if (host === null) return false
  const parts = parseRequestOrigin(origin)
  if (parts === null) return false
  const target = host.toLowerCase()
  if (parts.port !== '') return target === `${parts.host}:${parts.port}`
  return target === parts.host || target === `${parts.host}:${defaultPorts[parts.scheme]}`
}

/** What the protection of one policy reads: built once. */
interface Protection {
  readonly c: Compiled
  readonly report: ProtectionReport
  readonly bypass: ((context: unknown) => unknown) | undefined
  readonly reportOnly: boolean
}

const bypassAsync = once('error')
const asyncNote = 'bypass returned a promise, which exempts nothing: bypass must decide synchronously'

// What a bypass answered, when it did not exempt the request: the reason, added to the message. A
// promise (or other thenable) exempts nothing: said once, and its rejection is caught.
function bypassed(p: Protection, context: unknown): true | string {
  let result: unknown
  try {
    result = p.bypass!(context)
  } catch (error) {
    // A failing bypass exempts nothing: the request is refused, and the error is in the message.
    return `bypass threw: ${describeError(error)}`
  }
  if (result === true) return true
  const then = result === false || result === undefined ? undefined : thenOf(result)
  if (then === undefined) return ''
  bypassAsync(
    'thenable',
    `@cors: crossOriginProtection.${asyncNote} (decide from the request alone, e.g. its path)`,
  )
  try {
    then(undefined, (error) => failedHook('crossOriginProtection.bypass', error, 'the request was refused'))
  } catch {
    // A thenable whose then throws exempts nothing either.
  }
  return asyncNote
}

function refuse(
  p: Protection,
  request: CorsRequest,
  d: CorsDecision,
  message: string,
  context: unknown,
): CorsDecision {
  let why = message
  if (p.bypass !== undefined) {
    const answer = bypassed(p, context)
    if (answer === true) return d
    if (answer !== '') why = `${message}; ${answer}`
  }
  const refusal: CorsRejection = Object.freeze({
    ...rejection(p.c, false, 'cross-origin-request-refused', why),
    respond: true,
  })
  p.report(request, refusal, context)
  return p.reportOnly ? d : refusal
}

// What was seen, for the log message: built only for a refusal.
function seen(request: CorsRequest, upgrade: string | null): [what: string, from: string] {
  const origin = request.origin
  const what = `cross-origin ${upgrade === null ? `${shown(request.method)} request` : `upgrade (Upgrade: ${shown(upgrade)})`} refused`
  const from =
    origin === null
      ? 'no Origin'
      : origin === 'null'
        ? 'Origin: null (an opaque origin: a sandboxed frame, a data: URL, a cross-site redirect), which is never allowed'
        : `Origin: ${shown(origin)}, which the policy does not allow`
  return [what, from]
}

// Only reached for a request CORS does not allow (its origin is not allowed, or there is none).
function check(
  p: Protection,
  request: CorsRequest,
  d: CorsDecision,
  upgrade: string | null,
  context: unknown,
): CorsDecision {
  const origin = request.origin
  // Sec-Fetch-Site is set by the browser and cannot be forged by a page: trusted when present.
  const site = read(request, 'sec-fetch-site')
  if (site !== null) {
    if (site === 'same-origin' || site === 'none') return d
    const [what, from] = seen(request, upgrade)
    return refuse(p, request, d, `${what}: Sec-Fetch-Site: ${shown(site)} and ${from}`, context)
  }
  // Without it (an older browser, or not a browser at all), the Origin decides.
  if (origin === null) return d
  const host = hostOf(request)
  if (sameHost(origin, host)) return d
  const [what, from] = seen(request, upgrade)
  const target = host === null ? 'no Host' : `Host: ${shown(host)}`
  return refuse(
    p,
    request,
    d,
    `${what}: no Sec-Fetch-Site, ${from}, and it does not match ${target}`,
    context,
  )
}

function guard(p: Protection, request: CorsRequest, d: CorsDecision, context: unknown): CorsDecision {
  // An origin the policy allows passes every branch of the rule: nothing more is read.
  if (d.allowed && d.kind !== 'non-cors') return d
  const method = request.method
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    // CORS governs what a page reads with these; only an upgrade (a WebSocket, which CORS never
    // covers) can do more, and a browser always sends Origin with one.
    if (request.origin === null || d.respond) return d
    const upgrade = read(request, 'upgrade')
    return upgrade === null ? d : check(p, request, d, upgrade, context)
  }
  return check(p, request, d, null, context)
}

/**
 * `crossOriginProtection`: the allow-list that says who may read also says who may write. Runs the
 * CORS decision first (its origin matching and caches, sync or async), then the rule of DESIGN.md
 * ("Cross-origin protection", after Go's `net/http.CrossOriginProtection`) on requests a browser can
 * send cross-site without a preflight and that CORS cannot stop: every method but GET, HEAD and
 * OPTIONS, and WebSocket upgrades (a browser always sends `Origin` with those). A refusal is answered
 * `403` with no CORS header before the application runs; `reportOnly` only reports it; `bypass`
 * exempts a request.
 *
 * @see https://fetch.spec.whatwg.org/#sec-fetch-site-header
 * @see https://words.filippo.io/csrf/
 */
export function withProtection<Context>(
  c: Compiled,
  protection: NormalizedProtection,
  decide: Decide<Context>,
): Decide<Context> {
  const onReject = c.options.onReject as OnReject
  const p: Protection = {
    c,
    report:
      onReject === undefined && protection.reportOnly
        ? reportOnlyWarnings()
        : (_request, refusal, context) => reported(onReject, refusal, context),
    bypass: protection.bypass as ((context: unknown) => unknown) | undefined,
    reportOnly: protection.reportOnly,
  }
  return (request, context) => {
    const d = decide(request, context)
    return d instanceof Promise
      ? d.then((settled) => guard(p, request, settled, context))
      : guard(p, request, d, context)
  }
}
