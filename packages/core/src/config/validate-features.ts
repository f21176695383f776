import type { Report } from './errors.ts'
import { isPlainObject, type OptionsSnapshot } from './read.ts'
import type { NormalizedOrigin } from './validate-origin.ts'

/** The checked form of `crossOriginProtection`. */
export interface NormalizedProtection {
  readonly reportOnly: boolean
  readonly bypass: ((context: never) => boolean) | undefined
}

/** The options beyond the `cors` package's vocabulary, checked. */
export interface FeatureOptions {
  readonly debug: boolean
  readonly crossOriginProtection: NormalizedProtection | undefined
  /** The shadow policy's options, as read (compiled by the policy, with issues under `shadow.`). */
  readonly shadow: OptionsSnapshot | undefined
  readonly onShadow: ((difference: never, context: never) => void) | undefined
}

// `async function` and `async () =>` (not a function that happens to return a promise: that one
// is found when called, see features/protect.ts).
const isAsyncFunction = (value: unknown): boolean =>
  typeof value === 'function' && Object.prototype.toString.call(value) === '[object AsyncFunction]'

// `bypass` is called on every request that protection would refuse: a function that answers at once.
function checkBypass(bypass: unknown, report: Report): void {
  if (bypass !== undefined && typeof bypass !== 'function')
    report(
      'invalid-type',
      'crossOriginProtection.bypass',
      bypass,
      'must be a function (context) => boolean',
      'e.g. bypass: (request) => request.url.startsWith("/webhooks/") with Express, Koa or Fastify (request.url is the path there); your adapter\'s README shows it for its request',
    )
  else if (isAsyncFunction(bypass))
    report(
      'invalid-type',
      'crossOriginProtection.bypass',
      bypass,
      'is an async function: its promise would exempt nothing, since the request is refused or let through before it settles',
      'return true or false at once, from the request alone (e.g. its path), and verify the webhook itself (its signature) in its handler',
    )
}

function protection(
  value: unknown,
  origin: NormalizedOrigin,
  report: Report,
): NormalizedProtection | undefined {
  if (value === undefined || value === false) return undefined
  const object = isPlainObject(value) ? (value as Record<string, unknown>) : undefined
  if (value !== true && object === undefined) {
    report(
      'invalid-type',
      'crossOriginProtection',
      value,
      'must be true, false or { reportOnly?, bypass? }',
      'use crossOriginProtection: true',
    )
    return undefined
  }
  const reportOnly = object?.reportOnly ?? false
  const bypass = object?.bypass
  for (const key of Object.keys(object ?? {}))
    if (key !== 'reportOnly' && key !== 'bypass')
      report(
        'unknown-option',
        `crossOriginProtection.${key}`,
        object![key],
        'is not an option of crossOriginProtection',
        'use reportOnly or bypass',
      )
  if (typeof reportOnly !== 'boolean')
    report(
      'invalid-type',
      'crossOriginProtection.reportOnly',
      reportOnly,
      'must be true or false',
      'use reportOnly: true',
    )
  checkBypass(bypass, report)
  if (origin.kind === 'any' || origin.kind === 'reflect')
    report(
      'protection-without-allow-list',
      'crossOriginProtection',
      value,
      `with origin: ${origin.kind === 'any' ? '"*"' : 'true'} every origin is allowed, so there is nothing to protect against`,
      'list the origins that may send state-changing requests, e.g. origin: ["https://app.example.com"]',
    )
  return Object.freeze({
    reportOnly: reportOnly === true,
    bypass: typeof bypass === 'function' ? (bypass as (context: never) => boolean) : undefined,
  })
}

/** Checks `debug`, `crossOriginProtection`, `shadow` and `onShadow`. */
export function normalizeFeatures(
  o: OptionsSnapshot,
  origin: NormalizedOrigin,
  report: Report,
): FeatureOptions {
  if (o.debug !== undefined && typeof o.debug !== 'boolean')
    report(
      'invalid-type',
      'debug',
      o.debug,
      'must be true or false',
      'use debug: process.env.NODE_ENV === "development"',
    )
  // `shadow: false` is no shadow: what an update names to remove one (see `carryShadow`).
  const shadow = isPlainObject(o.shadow) ? (o.shadow as OptionsSnapshot) : undefined
  if (o.shadow !== undefined && o.shadow !== false && shadow === undefined)
    report(
      'invalid-type',
      'shadow',
      o.shadow,
      'must be an options object, or false to remove one',
      'e.g. shadow: { origin: ["https://app.example.com"] }',
    )
  const onShadow = typeof o.onShadow === 'function' ? (o.onShadow as FeatureOptions['onShadow']) : undefined
  if (o.onShadow !== undefined && onShadow === undefined)
    report(
      'invalid-type',
      'onShadow',
      o.onShadow,
      'must be a function',
      'pass (difference, request) => log(difference)',
    )
  if (shadow !== undefined && onShadow === undefined)
    report(
      'shadow-without-report',
      'shadow',
      o.shadow,
      'a shadow policy without onShadow reports its differences nowhere',
      'add onShadow: (difference) => console.warn(difference.message)',
    )
  if (shadow === undefined && onShadow !== undefined && o.shadow !== false)
    report(
      'shadow-without-report',
      'onShadow',
      o.onShadow,
      'onShadow without a shadow policy is never called',
      'add shadow: { ...the candidate options }, or remove onShadow',
    )
  return {
    debug: o.debug === true,
    crossOriginProtection: protection(o.crossOriginProtection, origin, report),
    shadow,
    onShadow,
  }
}
