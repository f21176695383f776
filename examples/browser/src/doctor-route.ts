import { randomUUID } from 'node:crypto'
import { DoctorNetworkError, DoctorRequestError, diagnose, formatDiagnosis } from '@cors/doctor'
import type { DecisionLog, LoggedRequest } from './decision-log.ts'

// `POST /api/doctor` on the playground's page server: runs @cors/doctor's diagnose() server-side for
// the request the page describes in a JSON body, so the page can show the browser's checks step by
// step. Any http(s) URL is accepted, loopback included: the page server lets only the playground's
// own pages call this route (see page-server.ts). When the URL is one of the playground's example
// APIs, the doctor's requests are tagged like the page's (`?rid=`) and the answer carries what the
// server logged for them: its reason beside the doctor's steps.

/** The answer of the route: a status and a JSON body. */
export interface DoctorAnswer {
  readonly status: number
  readonly body: string
}

/** The example APIs and their decision log, to read the server's side of a diagnosis. */
export interface ServerSide {
  readonly apis: readonly string[]
  readonly log: Pick<DecisionLog, 'lookup'>
}

/** What the server logged for one of the doctor's requests. */
export type ServerEntry = Pick<LoggedRequest, 'method' | 'preflight' | 'status' | 'reason' | 'message'>

/**
 * Diagnoses the request described by `body`: `{ url, origin, method?, headers?, credentials? }`, with
 * `headers` an object of names and values.
 */
export async function doctorRoute(body: unknown, server?: ServerSide): Promise<DoctorAnswer> {
  const read = readBody(body)
  if (typeof read === 'string') return error(400, read)
  const { target, request } = read
  const tagged = server === undefined ? null : tag(target, server.apis)
  try {
    const diagnosis = await diagnose(tagged?.url ?? target, request, { timeout: 5000 })
    const credentials = request.credentials ? ' with credentials' : ''
    const title = `${request.method} ${target} from ${request.origin}${credentials}`
    const logged = tagged === null || server === undefined ? undefined : await server.log.lookup(tagged.id)
    const answer = { diagnosis, text: formatDiagnosis(diagnosis, { title }), server: logged?.map(entry) }
    return { status: 200, body: JSON.stringify(answer) }
  } catch (cause) {
    if (cause instanceof DoctorRequestError) return error(400, cause.message)
    if (cause instanceof DoctorNetworkError) return error(502, cause.message)
    return error(500, String(cause))
  }
}

interface Read {
  readonly target: string
  readonly request: { origin: string; method: string; headers: [string, string][]; credentials: boolean }
}

function readBody(body: unknown): Read | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object'
  const { url, origin, method, headers, credentials } = body as Record<string, unknown>
  if (typeof url !== 'string') return 'url must be a string'
  if (typeof origin !== 'string') return 'origin must be a string'
  if (method !== undefined && typeof method !== 'string') return 'method must be a string'
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers)))
    return 'headers must be an object of names and values'
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value !== 'string') return `the header ${JSON.stringify(name)} must have a string value`
    pairs.push([name.trim(), value.trim()])
  }
  const request = { origin, method: method || 'GET', headers: pairs, credentials: credentials === true }
  return { target: url, request }
}

// The URL with `rid` set when it points at one of the example APIs; `null` otherwise.
function tag(target: string, apis: readonly string[]): { url: string; id: string } | null {
  if (!URL.canParse(target)) return null
  const url = new URL(target)
  if (!apis.includes(url.origin)) return null
  const id = `doctor-${randomUUID()}`
  url.searchParams.set('rid', id)
  return { url: url.href, id }
}

const entry = ({ method, preflight, status, reason, message }: LoggedRequest): ServerEntry => ({
  method,
  preflight,
  status,
  reason,
  message,
})

function error(status: number, message: string): DoctorAnswer {
  return { status, body: JSON.stringify({ error: message }) }
}
