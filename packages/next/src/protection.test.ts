import { describeProtection } from '@cors/conformance'
import { makeProxyClient, makeRoutesClient } from '../test/app.ts'

describeProtection('@cors/next proxy', makeProxyClient)
describeProtection('@cors/next withCorsRoutes', makeRoutesClient)
