import { withCorsRoutes } from '@cors/next'
import type { NextRequest } from 'next/server'
import { policy } from '../../../lib/cors.ts'

// Outside the proxy's matcher: this route file brings the policy itself.
export const { GET, POST, OPTIONS } = withCorsRoutes(
  {
    GET: (request: NextRequest) => Response.json({ items: [], from: request.nextUrl.pathname }),
    POST: async (request: NextRequest) => {
      const item = (await request.json()) as { name?: unknown }
      if (typeof item.name !== 'string') throw new TypeError('name must be a string')
      return Response.json(item, { status: 201 })
    },
  },
  policy,
)
