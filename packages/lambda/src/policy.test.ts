import { describePolicyLifecycle } from '@cors/conformance'
import { makePolicyClient } from '../test/app.ts'

describePolicyLifecycle('@cors/lambda (http-api)', makePolicyClient('http-api'))
describePolicyLifecycle('@cors/lambda (rest)', makePolicyClient('rest'))
