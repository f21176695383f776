import { describe, expectTypeOf, it } from 'vitest'
import type { Diagnosis, DoctorFailure, ErrorDiagnosis, ExplainedMessage, HarDiagnosis } from './index.ts'

describe('Diagnosis is a union on verdict', () => {
  it('narrows failure by the verdict', () => {
    const check = (diagnosis: Diagnosis) => {
      if (diagnosis.verdict === 'blocked') expectTypeOf(diagnosis.failure).toEqualTypeOf<DoctorFailure>()
      else expectTypeOf(diagnosis.failure).toEqualTypeOf<null>()
    }
    expectTypeOf(check).toBeFunction()
  })

  it('gives the network error its own verdict and check', () => {
    expectTypeOf<ErrorDiagnosis['verdict']>().toEqualTypeOf<'error'>()
    expectTypeOf<ErrorDiagnosis['failure']['check']>().toEqualTypeOf<'network-error'>()
  })

  it('types the other ways in', () => {
    expectTypeOf<ExplainedMessage['failure']>().toEqualTypeOf<DoctorFailure>()
    expectTypeOf<HarDiagnosis['verdict']>().toEqualTypeOf<'allowed' | 'blocked'>()
  })
})
