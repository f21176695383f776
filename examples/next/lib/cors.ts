import { createCors } from '@cors/next'
import type { NextRequest } from 'next/server'
import { reportRefusal } from './refusals.ts'

/**
 * The one policy of this app, shared by the proxy (proxy.ts) and the route files that use
 * withCorsRoutes. Pages on any port of app.example.test may read the API with cookies; every other
 * site's form posts and writes are refused before the app runs (crossOriginProtection). Refusals go
 * to the listeners a custom server in this process registered (lib/refusals.ts; `next start` has
 * none).
 */
export const policy = createCors<NextRequest>({
  origin: ['http://app.example.test:*', 'http://localhost:*'],
  credentials: true,
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedHeaders: ['X-Total-Count'],
  maxAge: 600,
  crossOriginProtection: true,
  onReject: reportRefusal,
})
