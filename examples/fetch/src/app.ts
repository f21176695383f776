import { type CorsRejectHook, withCors } from '@cors/fetch'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. @default a console.warn line */
  onReject?: CorsRejectHook<Request>
}

/** A small todo API as a plain Fetch handler, with the CORS policy a real single-page app needs. */
export function createApp(options: AppOptions = {}): (request: Request) => Promise<Response> {
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/fetch' }]
  let nextId = 2

  async function handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url)
    if (pathname === '/todos' && request.method === 'GET') {
      return Response.json(todos, { headers: { 'x-total-count': String(todos.length) } })
    }
    if (pathname === '/todos' && request.method === 'POST') {
      const body = (await request.json()) as { title?: unknown }
      if (typeof body.title !== 'string')
        return Response.json({ error: 'title is required' }, { status: 400 })
      const todo = { id: nextId++, title: body.title }
      todos.push(todo)
      return Response.json(todo, { status: 201 })
    }
    const match = /^\/todos\/(\d+)$/.exec(pathname)
    if (match !== null && request.method === 'DELETE') {
      const index = todos.findIndex((todo) => todo.id === Number(match[1]))
      if (index === -1) return Response.json({ error: 'not found' }, { status: 404 })
      todos.splice(index, 1)
      return new Response(null, { status: 204 })
    }
    if (pathname === '/error') throw new Error('something broke')
    return Response.json({ error: 'not found' }, { status: 404 })
  }

  return withCors(handle, {
    origin: ['http://localhost:5173', 'https://app.example.com'],
    credentials: true,
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600,
    onError: () => Response.json({ error: 'internal error' }, { status: 500 }),
    onReject:
      options.onReject ??
      ((rejection, request) => console.warn(`CORS: ${rejection.message} (${request.method} ${request.url})`)),
  })
}
