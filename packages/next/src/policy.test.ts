import { describePolicyLifecycle } from '@cors/conformance'
import { makeProxyPolicyClient, makeRoutesPolicyClient } from '../test/app.ts'

describePolicyLifecycle('@cors/next proxy', makeProxyPolicyClient)
describePolicyLifecycle('@cors/next withCorsRoutes', makeRoutesPolicyClient)
