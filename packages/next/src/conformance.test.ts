import { describeAdversarial, describeConformance } from '@cors/conformance'
import { makeProxyClient, makeRoutesClient } from '../test/app.ts'

describeConformance('@cors/next proxy', makeProxyClient)
describeConformance('@cors/next withCorsRoutes', makeRoutesClient)
describeAdversarial('@cors/next proxy', makeProxyClient)
describeAdversarial('@cors/next withCorsRoutes', makeRoutesClient)
