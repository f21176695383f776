import { describePolicyLifecycle } from '@cors/conformance'
import express5 from 'express'
import express4 from 'express4'
import { makePolicyClient } from '../test/app.ts'

describePolicyLifecycle('@cors/express on Express 5', makePolicyClient(express5))
describePolicyLifecycle(
  '@cors/express on Express 4',
  makePolicyClient(express4 as unknown as typeof express5),
)
