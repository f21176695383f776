/**
 * @module
 * The conformance table every `@cors/*` adapter passes (private): the cases as plain data, the app
 * contract the drivers build, and a vitest driver; and the adversarial suite: hostile inputs as
 * plain data, fast-check generators, and its vitest driver; and the bypass check of the adapters whose
 * request carries the path in `url`.
 */
export { describeAdversarial } from './adversarial.ts'
export { type Scenario, scenario, scenarioWithRequests } from './arbitraries.ts'
export { groups } from './cases.ts'
export {
  type FetchHandler,
  fetchClient,
  headerLines,
  headerRecord,
  initFrom,
  preflightInit,
} from './client.ts'
export { describeConformance, expectConformance } from './describe.ts'
export { type BypassHarness, describeBypass, type PostStatus, type UrlRequest } from './describe-bypass.ts'
export { describeProtection } from './describe-protection.ts'
export * from './hostile.ts'
export { describePolicyLifecycle, type MakePolicyClient } from './policy-lifecycle.ts'
export * from './types.ts'
