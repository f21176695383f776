import { cors } from '@cors/next'
import { NextResponse } from 'next/server'
import { policy } from './lib/cors.ts'

// Preflights are answered by cors() before this logic runs; everything it returns gets the CORS
// headers. Returning nothing continues to the route (NextResponse.next()).
export const proxy = cors(policy, (request) => {
  const { pathname } = request.nextUrl
  if (pathname.startsWith('/api/private') && request.headers.get('authorization') === null) {
    return Response.json({ error: 'sign in first' }, { status: 401 })
  }
  if (pathname === '/old/todos') return NextResponse.redirect(new URL('/api/todos', request.url))
  if (pathname === '/api/v1/todos') return NextResponse.rewrite(new URL('/api/todos', request.url))
  if (pathname === '/api/tagged') return NextResponse.next({ headers: { 'x-tagged': 'yes' } })
})

// Every path but Next's static files and the routes that bring their own policy (app/direct).
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|direct/).*)'],
}
