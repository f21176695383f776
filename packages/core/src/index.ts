/**
 * @module
 * `@cors/core`: turns a CORS policy into header decisions, from a neutral request shape. Validated
 * and compiled once; per request it only decides. No dependencies; runs on Node, Deno, Bun,
 * browsers and edge workers. Framework adapters: `@cors/fastify`, `@cors/koa`, `@cors/hono`,
 * `@cors/fetch`.
 */
export { type CorsPolicy, createCors } from './compile.ts'
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
export { CorsConfigError, type CorsConfigIssue, type CorsConfigIssueCode } from './errors.ts'
export {
  appendVary,
  applyCorsHeaders,
  type CorsHeadersTarget,
  type CorsResponseTarget,
  decorateResponse,
  maxRequestHeadersCount,
  maxRequestHeadersLength,
} from './headers.ts'
export type {
  CorsCredentialedOptions,
  CorsOptions,
  CorsOrigin,
  CorsOriginFunction,
  CorsOriginItem,
  CorsPublicOptions,
  CorsRejectHook,
} from './options.ts'
export { validateCorsOptions } from './validate.ts'
