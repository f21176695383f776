/**
 * The one policy every variant implements, the route they all serve, the four request kinds the load
 * generator sends, and the checks a variant must pass before it is timed.
 */

/** The five exact origins the policy allows. */
export const origins: readonly string[] = [
  'https://app1.example.com',
  'https://app2.example.com',
  'https://app3.example.com',
  'https://app4.example.com',
  'https://app5.example.com',
]
export const allowedOrigin = 'https://app3.example.com'
export const disallowedOrigin = 'https://evil.example.net'

export const methods: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE']
export const allowedHeaders: readonly string[] = ['Content-Type', 'Authorization', 'X-Request-Id']
export const exposedHeaders: readonly string[] = ['X-Total-Count']
export const maxAge = 600

/** Our options, written once and passed unchanged to every adapter. */
export const corsOptions = {
  origin: [...origins],
  methods: [...methods],
  allowedHeaders: [...allowedHeaders],
  exposedHeaders: [...exposedHeaders],
  credentials: true as const,
  maxAge,
}

/**
 * The policy in the option names of the `cors` package, as its README writes them: what `cors()`, and
 * NestJS's `app.enableCors()` on both platforms (which hands them to `cors` or `@fastify/cors`), take.
 */
export const peerOptions = {
  origin: [...origins],
  methods: [...methods],
  allowedHeaders: [...allowedHeaders],
  exposedHeaders: [...exposedHeaders],
  credentials: true,
  maxAge,
}

/** The route: GET /data answers a small JSON list and its size in `X-Total-Count`. */
export const path = '/data'
export const payload: readonly { id: number; title: string }[] = [
  { id: 1, title: 'Ship it' },
  { id: 2, title: 'Measure it' },
  { id: 3, title: 'Write it down' },
]
export const payloadJson: string = JSON.stringify(payload)
export const totalCount: string = String(payload.length)

/**
 * The static headers a hand-written minimum sets: what a developer types when they know the policy
 * and skip every check a library makes (no validation, no Vary merging, no per-route config).
 */
export const handWritten = {
  allowed: new Set(origins),
  actual: {
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': exposedHeaders.join(', '),
    vary: 'Origin',
  },
  preflight: {
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': methods.join(', '),
    'access-control-allow-headers': allowedHeaders.join(', '),
    'access-control-max-age': String(maxAge),
    vary: 'Origin',
  },
} as const

export type Kind = 'preflight' | 'allowed' | 'disallowed' | 'no-origin'
export const kinds: readonly Kind[] = ['preflight', 'allowed', 'disallowed', 'no-origin']
export const kindLabels: Record<Kind, string> = {
  preflight: 'preflight',
  allowed: 'GET, allowed origin',
  disallowed: 'GET, disallowed origin',
  'no-origin': 'GET, no Origin',
}

/** What the load generator sends for each kind: method and extra headers (lower-case names). */
export const requests: Record<Kind, { method: string; headers: Record<string, string> }> = {
  preflight: {
    method: 'OPTIONS',
    headers: {
      origin: allowedOrigin,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-request-id',
    },
  },
  allowed: { method: 'GET', headers: { origin: allowedOrigin } },
  disallowed: { method: 'GET', headers: { origin: disallowedOrigin } },
  'no-origin': { method: 'GET', headers: {} },
}

/** A response as the checks see it: status, lower-case header names, body text. */
export interface Observed {
  status: number
  headers: Record<string, string | undefined>
  body: string
}

/** A problem found in a response. `error`: the variant does not implement the policy and is not timed. */
export interface Finding {
  severity: 'error' | 'note'
  message: string
}

const list = (value: string | undefined): string[] =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
const hasName = (value: string | undefined, name: string): boolean =>
  list(value).some((item) => item.toLowerCase() === name.toLowerCase() || item === '*')

/**
 * Checks one response against what the policy requires for its kind (with `cors` false, for the
 * baseline, only that the route answers). Errors are what the policy
 * requires and a browser checks (a missing or wrong header, a wrong status, Allow-Origin sent to a
 * disallowed origin): such a variant is not timed. Notes are deviations from our contract that a
 * browser does not see, such as a missing `Vary: Origin`, which only matters to shared caches.
 */
export function check(kind: Kind, res: Observed, cors = true): Finding[] {
  const findings: Finding[] = []
  const h = res.headers
  const error = (message: string) => findings.push({ severity: 'error', message })
  const note = (message: string) => findings.push({ severity: 'note', message })
  if (kind === 'preflight') {
    if (!cors) return [{ severity: 'error', message: 'no CORS: a preflight is not answered' }]
    if (res.status < 200 || res.status > 299) error(`preflight answered ${res.status}, not 2xx`)
    if (h['access-control-allow-origin'] !== allowedOrigin) error('preflight: Allow-Origin is not the origin')
    if (h['access-control-allow-credentials'] !== 'true') error('preflight: no Allow-Credentials: true')
    if (!list(h['access-control-allow-methods']).includes('PUT')) error('preflight: PUT not in Allow-Methods')
    for (const name of ['content-type', 'x-request-id'])
      if (!hasName(h['access-control-allow-headers'], name)) error(`preflight: ${name} not in Allow-Headers`)
    if (h['access-control-max-age'] !== String(maxAge)) error(`preflight: Max-Age is not ${maxAge}`)
    if (!hasName(h['vary'], 'origin')) note('preflight: no Vary: Origin')
    return findings
  }
  if (res.status !== 200) error(`GET ${path} answered ${res.status}`)
  if (res.body !== payloadJson) error(`GET ${path}: unexpected body`)
  if (h['x-total-count'] !== totalCount) error(`GET ${path}: X-Total-Count missing`)
  // The baseline without CORS only has to serve the route.
  if (!cors) return findings
  if (kind === 'allowed') {
    if (h['access-control-allow-origin'] !== allowedOrigin)
      error('allowed GET: Allow-Origin is not the origin')
    if (h['access-control-allow-credentials'] !== 'true') error('allowed GET: no Allow-Credentials: true')
    if (!hasName(h['access-control-expose-headers'], 'x-total-count'))
      error('allowed GET: X-Total-Count not in Expose-Headers')
    if (!hasName(h['vary'], 'origin')) note('allowed GET: no Vary: Origin (a shared cache can mix origins)')
    return findings
  }
  const acao = h['access-control-allow-origin']
  if (kind === 'disallowed') {
    if (acao === disallowedOrigin || acao === '*') error(`disallowed GET: Allow-Origin ${acao}`)
    const leaked = Object.keys(h).filter((name) => name.startsWith('access-control-'))
    if (leaked.length > 0) note(`disallowed GET: sends ${leaked.join(', ')}`)
    if (!hasName(h['vary'], 'origin'))
      note('disallowed GET: no Vary: Origin (a shared cache can mix origins)')
    return findings
  }
  if (acao !== undefined) error(`GET without Origin: Allow-Origin ${acao}`)
  const sent = Object.keys(h).filter((name) => name.startsWith('access-control-'))
  if (sent.length > 0) note(`GET without Origin: sends ${sent.join(', ')}`)
  if (!hasName(h['vary'], 'origin')) note('GET without Origin: no Vary: Origin')
  return findings
}
