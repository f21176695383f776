import { describeProtection } from '@cors/conformance'
import { makeClient } from '../test/app.ts'

describeProtection('@cors/elysia', makeClient('values'))
