import type { ChromeCorsError, DoctorCheck, DoctorStage } from './types.ts'

// Each failing check and the `Network.CorsError` Chromium reports for it. The CORS-check failures
// have a preflight twin; a server refusing a preflight without CORS headers is, to Chromium, a
// preflight without Access-Control-Allow-Origin (it checks that header before the status).
const onBoth: Partial<Record<DoctorCheck, ChromeCorsError>> = {
  'allow-origin-missing': 'MissingAllowOriginHeader',
  'allow-origin-multiple': 'MultipleAllowOriginValues',
  'allow-origin-wildcard-with-credentials': 'WildcardOriginNotAllowed',
  'allow-origin-mismatch': 'AllowOriginMismatch',
  'allow-credentials-missing': 'InvalidAllowCredentials',
}

const onPreflight: Partial<Record<DoctorCheck, ChromeCorsError>> = {
  'preflight-refused': 'PreflightMissingAllowOriginHeader',
  'preflight-status': 'PreflightInvalidStatus',
  'preflight-redirect': 'PreflightDisallowedRedirect',
  'allow-methods-invalid': 'InvalidAllowMethodsPreflightResponse',
  'allow-headers-invalid': 'InvalidAllowHeadersPreflightResponse',
  'method-not-allowed': 'MethodDisallowedByPreflightResponse',
  'method-wildcard-with-credentials': 'MethodDisallowedByPreflightResponse',
  'authorization-not-covered': 'HeaderDisallowedByPreflightResponse',
  'header-not-allowed': 'HeaderDisallowedByPreflightResponse',
  'header-wildcard-with-credentials': 'HeaderDisallowedByPreflightResponse',
}

const elsewhere: Partial<Record<DoctorCheck, ChromeCorsError>> = {
  'redirect-credentials': 'RedirectContainsCredentials',
  'local-network-access': 'LocalNetworkAccessPermissionDenied',
}

/** The DevTools name (CDP `Network.CorsError`) of a failing check at a stage, or `null`. */
export function chromeError(check: DoctorCheck, stage: DoctorStage): ChromeCorsError | null {
  const both = onBoth[check]
  if (both !== undefined) return stage === 'preflight' ? (`Preflight${both}` as ChromeCorsError) : both
  return onPreflight[check] ?? elsewhere[check] ?? null
}

/** The check and stage a DevTools name stands for: the inverse of `chromeError`, its first check. */
export function checkOfChromeError(name: string): { check: DoctorCheck; stage: DoctorStage } | null {
  for (const [check, error] of Object.entries(onBoth)) {
    if (error === name) return { check: check as DoctorCheck, stage: 'actual' }
    if (`Preflight${error}` === name) return { check: check as DoctorCheck, stage: 'preflight' }
  }
  for (const [check, error] of Object.entries(onPreflight)) {
    if (error === name) return { check: check as DoctorCheck, stage: 'preflight' }
  }
  for (const [check, error] of Object.entries(elsewhere)) {
    if (error === name) return { check: check as DoctorCheck, stage: 'actual' }
  }
  return null
}
