import type { CorsRejection, CorsRequest } from '../decision.ts'
import { createTally, defaultShadowLimits, type ShadowLimits, tally } from './tally.ts'

/** Reports one refusal of the cross-origin protection. */
export type ProtectionReport = (request: CorsRequest, refusal: CorsRejection, context: unknown) => void

// The core is compiled without DOM or Node types; every runtime it supports has a console.
const log = (globalThis as { console?: { warn(message: string): void } }).console

/**
 * `crossOriginProtection: { reportOnly: true }` without `onReject`: report-only means reporting, so
 * each refusal it lets through goes to `console.warn`, aggregated as the shadow's differences are
 * (per origin and method: the first at once, repeats counted and written at most once a minute,
 * memory bounded whatever origins clients send).
 */
export function reportOnlyWarnings(limits: ShadowLimits = defaultShadowLimits): ProtectionReport {
  const counts = createTally(limits)
  return (request, refusal) => {
    const count = tally(counts, request.origin, refusal.kind, request.method, '', '')
    if (count === 0) return
    const times = Math.abs(count) > 1 ? ` (${Math.abs(count)} times since the last report)` : ''
    const note = count < 0 ? 'too many distinct refusals to track: counted together; latest: ' : ''
    log?.warn(
      `@cors crossOriginProtection (report only, let through): ${note}${refusal.message}${times}; pass onReject to receive each refusal`,
    )
  }
}
