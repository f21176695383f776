// The answers every runtime smoke test expects for the policy in fixtures/*.mjs:
// { origin: ['https://app.example.com'], credentials: true, exposedHeaders: ['X-Total-Count'], maxAge: 600 }
export const origin = 'https://app.example.com'
/** What a CORS-enabled `/data` answers on every runtime, for the smoke policy. */
export const expected = (body: string) => ({
  preflight: {
    status: 204,
    allowOrigin: origin,
    allowCredentials: 'true',
    allowMethods: 'GET, HEAD, PUT, PATCH, POST, DELETE',
    exposeHeaders: null,
    maxAge: '600',
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  },
  actual: {
    status: 200,
    allowOrigin: origin,
    allowCredentials: 'true',
    allowMethods: null,
    exposeHeaders: 'x-total-count',
    maxAge: null,
    vary: 'Origin',
    body,
  },
  refused: {
    status: 200,
    allowOrigin: null,
    allowCredentials: null,
    allowMethods: null,
    exposeHeaders: null,
    maxAge: null,
    vary: 'Origin',
  },
})
