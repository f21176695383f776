import { describePolicyLifecycle } from '@cors/conformance'
import { makePolicyClient } from '../test/app.ts'

describePolicyLifecycle('@cors/elysia', makePolicyClient)
