import { DoctorNetworkError, DoctorRequestError, diagnose, formatDiagnosis } from '@cors/doctor'

// `/api/doctor` on the playground's page server: runs @cors/doctor's diagnose() server-side for the
// request the user describes, so the page can show the browser's checks step by step. Any http(s)
// URL is accepted, loopback included: the playground is a local development tool.

/** The answer of the route: a status and a JSON body. */
export interface DoctorAnswer {
  readonly status: number
  readonly body: string
}

/**
 * Reads `url`, `origin`, `method`, repeated `header` ("Name: value") and `credentials` (`1` or
 * `include`) from the query string and diagnoses that request.
 */
export async function doctorRoute(query: URLSearchParams): Promise<DoctorAnswer> {
  const target = query.get('url') ?? ''
  const headers: [string, string][] = []
  for (const line of query.getAll('header')) {
    if (line.trim() === '') continue
    const colon = line.indexOf(':')
    if (colon <= 0) return error(400, `the header ${JSON.stringify(line)} is not "Name: value"`)
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  const credentials = ['1', 'include', 'true'].includes(query.get('credentials') ?? '')
  const request = {
    origin: query.get('origin') ?? '',
    method: query.get('method') || 'GET',
    headers,
    credentials,
  }
  try {
    const diagnosis = await diagnose(target, request, { timeout: 5000 })
    const title = `${request.method} ${target} from ${request.origin}${credentials ? ' with credentials' : ''}`
    return { status: 200, body: JSON.stringify({ diagnosis, text: formatDiagnosis(diagnosis, { title }) }) }
  } catch (cause) {
    if (cause instanceof DoctorRequestError) return error(400, cause.message)
    if (cause instanceof DoctorNetworkError) return error(502, cause.message)
    return error(500, String(cause))
  }
}

function error(status: number, message: string): DoctorAnswer {
  return { status, body: JSON.stringify({ error: message }) }
}
