import { describeAdversarial, describeConformance } from '@cors/conformance'
import { makeClient } from '../test/app.ts'

for (const style of ['values', 'raw'] as const) {
  const name = `@cors/elysia (${style === 'raw' ? 'raw Response' : 'values and status()'} handlers)`
  describeConformance(name, makeClient(style))
  // app.request has no socket: no header size limit in front of the middleware.
  describeAdversarial(name, makeClient(style))
}
