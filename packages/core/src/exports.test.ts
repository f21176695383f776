import { expect, it } from 'vitest'

// The public runtime API of @cors/core. A change here is a change to the contract: update DESIGN.md,
// the README and a changeset with it.
it('exports exactly the documented runtime names', async () => {
  expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
    [
      "CorsConfigError",
      "appendVary",
      "applyCorsHeaders",
      "corsHeadersRecord",
      "corsResponseHeaders",
      "createCors",
      "createCorsWriter",
      "createHandshakeCheck",
      "decorateResponse",
      "isCorsPolicy",
      "isForbiddenMethod",
      "isForbiddenRequestHeader",
      "isForbiddenResponseHeader",
      "isNormalizedMethod",
      "isPlainObject",
      "isSafelistedMethod",
      "isToken",
      "maxRequestHeadersCount",
      "maxRequestHeadersLength",
      "sameCorsPolicy",
      "toCorsRequest",
      "validateCorsOptions",
    ]
  `)
})
