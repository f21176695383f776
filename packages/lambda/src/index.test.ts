import { describeAdversarial, describeConformance } from '@cors/conformance'
import { describe } from 'vitest'
import { makeClient } from '../test/app.ts'
import { eventKinds } from '../test/events.ts'

// One table, five ways AWS invokes a function: every row holds for each event kind.
for (const kind of eventKinds) {
  describe(kind, () => {
    describeConformance(`@cors/lambda (${kind})`, makeClient(kind))
    // The adversarial suite sends repeated header lines (two Origins, 300 Access-Control-Request-Headers
    // lines) and checks all of them reach the policy. An ALB without multi-value headers keeps only the
    // last line before Lambda runs (see repeated-headers.test.ts and the README), so that kind is
    // covered by the other four, which carry every line. A direct call has no socket: no size limit.
    if (kind !== 'alb') describeAdversarial(`@cors/lambda (${kind})`, makeClient(kind))
  })
}
