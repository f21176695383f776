/**
 * @module
 * `@cors/core`: turns a CORS policy into header decisions, from a neutral request shape. Validated
 * and compiled once; per request it only decides. No dependencies; runs on Node, Deno, Bun,
 * browsers and edge workers. The adapters are listed in one place, `packages/conformance/src/adapters.ts`
 * (see ARCHITECTURE.md for the flow and the layers).
 */

export { CorsConfigError, type CorsConfigIssue, type CorsConfigIssueCode } from './config/errors.ts'
export type {
  CorsCreateOptions,
  CorsCredentialedOptions,
  CorsOptions,
  CorsOrigin,
  CorsOriginCallbackMistake,
  CorsOriginFunction,
  CorsOriginItem,
  CorsProtectionOptions,
  CorsPublicOptions,
  CorsRejectHook,
  CorsShadowDifference,
  CorsShadowHook,
} from './config/options.ts'
export { isPlainObject } from './config/read.ts'
export {
  type CorsPolicy,
  createCors,
  isCorsPolicy,
  sameCorsPolicy,
  validateCorsOptions,
} from './decide/policy.ts'
export type {
  CorsActualAllowed,
  CorsDecision,
  CorsHeaders,
  CorsNonCors,
  CorsPreflightAllowed,
  CorsReason,
  CorsRejection,
  CorsRequest,
} from './decision.ts'
export { toCorsRequest } from './decision.ts'
export {
  type CorsHandshakeCheck,
  type CorsHandshakeOptions,
  createHandshakeCheck,
} from './features/handshake.ts'
export {
  isForbiddenRequestHeader,
  isForbiddenResponseHeader,
  isToken,
  maxRequestHeadersCount,
  maxRequestHeadersLength,
} from './fetch/headers.ts'
export { isForbiddenMethod, isNormalizedMethod, isSafelistedMethod } from './fetch/methods.ts'
export {
  applyCorsHeaders,
  type CorsHeadersTarget,
  type CorsResponseTarget,
  corsHeadersRecord,
  decorateResponse,
} from './write/fetch.ts'
export { corsResponseHeaders } from './write/owned.ts'
export { appendVary } from './write/vary.ts'
export {
  type CorsHeaderAccess,
  type CorsWrite,
  type CorsWriter,
  createCorsWriter,
} from './write/writer.ts'
