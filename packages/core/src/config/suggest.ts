import { optionNames } from './options.ts'

// Names users bring from `cors`, `@fastify/cors`, `@koa/cors` and `hono/cors`, with what to do instead.
const migrations: Readonly<Record<string, string>> = {
  allowmethods: 'did you mean "methods"? (hono/cors and @koa/cors call it allowMethods)',
  allowheaders: 'did you mean "allowedHeaders"? (hono/cors and @koa/cors call it allowHeaders)',
  exposeheaders: 'did you mean "exposedHeaders"? (hono/cors and @koa/cors call it exposeHeaders)',
  origins: 'did you mean "origin"? It takes one origin or an array of them',
  allowedorigins: 'did you mean "origin"? It takes one origin or an array of them',
  allowcredentials: 'did you mean "credentials"?',
  keepheadersonerror: 'remove it: CORS headers are always kept on error responses',
  preflight: 'remove it: preflights are always answered (use preflightContinue to pass them on)',
  strictpreflight: 'remove it: a preflight is always OPTIONS with Origin and Access-Control-Request-Method',
  hideoptionsroute: 'remove it: the preflight route is never shown',
  optionssuccessstatuscode: 'did you mean "optionsSuccessStatus"?',
  privatenetworkaccess:
    'remove it: Private Network Access was replaced by Local Network Access, which needs nothing from servers',
  allowprivatenetwork:
    'remove it: Private Network Access was replaced by Local Network Access, which needs nothing from servers',
  securecontext: 'remove it: cross-origin isolation headers are not CORS; set them in your application',
  delegator: 'remove it: pass a function as "origin", or compile one policy per route',
  hook: 'remove it: @fastify/cors lets you pick the hook that answers preflights; @cors/fastify always answers them in onRequest, before authentication and body parsing, which is what that option is usually set for',
  cachecontrol:
    'remove it: browsers cache preflights for Access-Control-Max-Age, so use maxAge: 600; for a CDN or proxy, set Cache-Control on the preflight response in your framework (in Fastify an onSend hook)',
  exposedheader: 'did you mean "exposedHeaders"?',
  credential: 'did you mean "credentials"?',
}

// Levenshtein distance, small strings only.
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[b.length]!
}

// A near miss: a small edit distance for the length, or one name inside the other (allowHeader,
// allowedHeader, exposeHeader, maxage, successStatus).
function isNear(key: string, name: string): number {
  const d = distance(key, name)
  if (d <= Math.max(2, Math.floor(name.length / 4))) return d
  if (key.length >= 4 && (name.includes(key) || key.includes(name))) return Math.abs(name.length - key.length)
  return Number.POSITIVE_INFINITY
}

/** `undefined` for a known option; otherwise the hint for an unknown one ("did you mean ..."). */
export function suggestOption(key: string): string | undefined {
  if (optionNames.includes(key)) return undefined
  const lower = key.toLowerCase()
  if (Object.hasOwn(migrations, lower)) return migrations[lower]
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const name of optionNames) {
    const d = isNear(lower, name.toLowerCase())
    if (d < bestDistance) {
      best = name
      bestDistance = d
    }
  }
  return best === undefined
    ? `remove it (the options are ${optionNames.join(', ')})`
    : `did you mean "${best}"?`
}
