import { createCors } from '@cors/next'
import type { NextRequest } from 'next/server'

/**
 * The one policy of this app, shared by the proxy (proxy.ts) and the route files that use
 * withCorsRoutes. Pages on any port of app.example.test may read the API with cookies; every other
 * site's form posts and writes are refused before the app runs (crossOriginProtection).
 */
export const policy = createCors<NextRequest>({
  origin: ['http://app.example.test:*', 'http://localhost:*'],
  credentials: true,
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedHeaders: ['X-Total-Count'],
  maxAge: 600,
  crossOriginProtection: true,
})
