/**
 * @module
 * `@cors/doctor`: the browser's side of CORS as a library. `diagnose(url, request)` sends the
 * requests a browser would and applies its checks; `explain(policy, request)` runs a `@cors/core`
 * policy through the same browser model without a server. Both return the steps taken, the verdict,
 * what the page can read and, when blocked, the failing check with its fix.
 */
export type { AddressSpace, Lookup } from './address-space.ts'
export {
  checkExpectations,
  type Expectation,
  type ExpectationReport,
  type ExpectationResult,
} from './check.ts'
export { type DiagnoseOptions, DoctorNetworkError, diagnose, networkErrorDiagnosis } from './diagnose.ts'
export { type ExplainOptions, explain } from './explain.ts'
export { type ExplainedMessage, explainMessage } from './explain-message.ts'
export { type FormatOptions, formatDiagnosis } from './format.ts'
export { diagnoseHar } from './har.ts'
export type { Har, HarDiagnosis, HarEntry, HarGroup, HarHeader, HarRequest } from './har-types.ts'
export { runModel } from './model.ts'
export { type PreflightNeed, preflightNeed } from './preflight.ts'
export { DoctorRequestError, type PageRequest, toPageRequest } from './request.ts'
export type {
  AllowedDiagnosis,
  BlockedDiagnosis,
  ChromeCorsError,
  Diagnosis,
  DoctorCheck,
  DoctorFailure,
  DoctorRequest,
  DoctorResponse,
  DoctorStage,
  DoctorStep,
  ErrorDiagnosis,
  OutgoingRequest,
  Send,
  SentResponse,
} from './types.ts'
