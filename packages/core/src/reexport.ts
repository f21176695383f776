/**
 * @module
 * What every adapter re-exports from the core, in one line: `export * from '@cors/core/reexport'`.
 * The same names in every adapter: the error and the validator, and the types a user of an adapter
 * writes (options, hooks, decisions). Building blocks for writing an adapter (the writer, the
 * request helpers) stay in `@cors/core` itself.
 */
export {
  type CorsActualAllowed,
  CorsConfigError,
  type CorsConfigIssue,
  type CorsConfigIssueCode,
  type CorsCredentialedOptions,
  type CorsDecision,
  type CorsHeaders,
  type CorsHeadersTarget,
  type CorsNonCors,
  type CorsOptions,
  type CorsOrigin,
  type CorsOriginFunction,
  type CorsOriginItem,
  type CorsPolicy,
  type CorsPreflightAllowed,
  type CorsProtectionOptions,
  type CorsPublicOptions,
  type CorsReason,
  type CorsRejectHook,
  type CorsRejection,
  type CorsRequest,
  type CorsShadowDifference,
  type CorsShadowHook,
  validateCorsOptions,
} from './index.ts'
