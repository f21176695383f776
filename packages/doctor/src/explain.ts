import { type CorsDecision, type CorsOptions, type CorsPolicy, createCors, toCorsRequest } from '@cors/core'
import { chromeError } from './chrome-errors.ts'
import { runModel } from './model.ts'
import { withCors } from './result.ts'
import type {
  Diagnosis,
  DoctorCheck,
  DoctorFailure,
  DoctorRequest,
  OutgoingRequest,
  SentResponse,
} from './types.ts'

/** Options of `explain`: what the application behind the policy answers. */
export interface ExplainOptions {
  /** The URL the page fetches; it only shows in messages. @default 'https://api.example.com/' */
  readonly url?: string
  /** The application's status for the actual request. @default 200 */
  readonly status?: number
  /** Headers the application sets on the actual response (the page may read some). @default none */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Runs a `@cors/core` policy (or the options to make one) through the browser model, without a
 * server: the same steps `diagnose` takes, plus the policy's own reason at each stage. When the
 * policy refuses, the failure names the policy's reason code (`method-not-allowed`,
 * `header-not-allowed`, ...) and its fix, next to what the browser saw.
 *
 * @example
 * const { verdict, failure } = await explain({ origin: 'https://app.example.com' }, {
 *   origin: 'https://app.example.com', method: 'PUT',
 * })
 */
export async function explain(
  policyOrOptions: CorsPolicy | CorsOptions,
  request: DoctorRequest,
  options: ExplainOptions = {},
): Promise<Diagnosis> {
  // createCors returns a policy it is given as it is.
  const policy = createCors(policyOrOptions)
  const url = options.url ?? 'https://api.example.com/'
  const refusals: { stage: 'preflight' | 'actual'; decision: CorsDecision; request: OutgoingRequest }[] = []
  const diagnosis = await runModel(url, request, async (outgoing) => {
    const decision = await policy.decide(toCorsRequest(outgoing.method, (name) => outgoing.headers[name]))
    if (!decision.allowed)
      refusals.push({ stage: outgoing.preflight ? 'preflight' : 'actual', decision, request: outgoing })
    return respond(decision, outgoing, options)
  })
  const refusal = refusals.at(-1)
  const failure = diagnosis.failure
  if (failure === null || refusal === undefined || refusal.stage !== failure.stage) return diagnosis
  return { ...diagnosis, verdict: 'blocked', failure: withReason(failure, refusal.decision, refusal.request) }
}

// The response a server running this policy gives. The policy owns the Access-Control-* headers:
// whatever the application set is replaced when allowed and removed when refused.
function respond(decision: CorsDecision, outgoing: OutgoingRequest, options: ExplainOptions): SentResponse {
  const reason = { code: decision.reason, message: decision.message }
  if (decision.kind === 'preflight' && decision.respond) {
    return { status: decision.status, headers: { ...decision.headers }, reason }
  }
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase()
    if (!lower.startsWith('access-control-')) headers[lower] = value
  }
  Object.assign(headers, decision.headers)
  // A preflight passed on (`preflightContinue`, or CORS disabled) is answered by the application:
  // assumed 204.
  const status = outgoing.preflight ? 204 : (options.status ?? 200)
  return { status, headers, reason }
}

/** The failure told from the policy's side: its reason code, message and fix. */
function withReason(failure: DoctorFailure, decision: CorsDecision, request: OutgoingRequest): DoctorFailure {
  const message = `${failure.message}; the policy refused it: ${decision.message} (${decision.reason})`
  const told = reasonFix(decision, request)
  if (told === null) return { ...failure, message }
  const check = told.check ?? failure.check
  return { ...failure, check, message, fix: told.fix, chromeError: chromeError(check, failure.stage) }
}

function reasonFix(
  decision: CorsDecision,
  request: OutgoingRequest,
): { check?: DoctorCheck; fix: string } | null {
  const method = request.headers['access-control-request-method'] ?? request.method
  const origin = request.headers['origin'] ?? ''
  switch (decision.reason) {
    case 'origin-not-allowed':
      return {
        check: 'allow-origin-missing',
        fix: withCors(
          `send \`Access-Control-Allow-Origin: ${origin}\``,
          `add ${origin} to the \`origin\` option`,
        ),
      }
    case 'method-not-allowed':
      return {
        check: 'method-not-allowed',
        fix: withCors(
          `send \`Access-Control-Allow-Methods: ${method}\` on the preflight's answer`,
          `add \`${method}\` to \`methods\``,
        ),
      }
    case 'authorization-not-covered':
      return {
        check: 'authorization-not-covered',
        fix: withCors(
          '`Access-Control-Allow-Headers` must list `Authorization` by name, next to `*`',
          'add `Authorization` to `allowedHeaders`',
        ),
      }
    case 'header-not-allowed':
    case 'request-headers-invalid':
    case 'request-headers-too-large': {
      const named = /header "([^"]+)"/.exec(decision.message)?.[1]
      const names = (named ?? request.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((name) => name.trim())
      const list = names.map((name) => `\`${name}\``).join(', ')
      return {
        check: 'header-not-allowed',
        fix: withCors(
          `send \`Access-Control-Allow-Headers: ${names.join(', ')}\` on the preflight's answer`,
          `add ${list} to \`allowedHeaders\``,
        ),
      }
    }
    case 'origin-check-failed':
      return { fix: 'the `origin` function threw or rejected: fix it; the error is in the reason' }
    default:
      return null
  }
}
