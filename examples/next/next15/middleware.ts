import { cors } from '@cors/next'

// Next 15: the same proxy, exported as `middleware` from middleware.ts.
export const middleware = cors({ origin: ['http://app.example.test:*'], exposedHeaders: ['X-Total-Count'] })

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] }
