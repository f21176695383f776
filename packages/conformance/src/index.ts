/**
 * @module
 * The conformance table every `@cors/*` adapter passes (private): the cases as plain data, the app
 * contract the drivers build, and a vitest driver.
 */
export { groups } from './cases.ts'
export { describeConformance, expectConformance } from './describe.ts'
export * from './types.ts'
