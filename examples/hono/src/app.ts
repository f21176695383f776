import { type CorsRejectHook, cors } from '@cors/hono'
import { type Context, Hono } from 'hono'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<Context>
}

/** A small todo API with the CORS policy a real single-page app needs. */
export function createApp(options: AppOptions = {}): Hono {
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/hono' }]
  let nextId = 2
  const app = new Hono()

  // First, so preflights are answered before any other middleware (authentication, say) runs.
  app.use(
    '*',
    cors({
      origin: ['http://localhost:5173', 'https://app.example.com'],
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 600,
      ...(options.onReject === undefined ? {} : { onReject: options.onReject }),
    }),
  )

  app.get('/todos', (c) => {
    c.header('X-Total-Count', String(todos.length))
    return c.json(todos)
  })
  app.post('/todos', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { title?: unknown }
    if (typeof body.title !== 'string') return c.json({ error: 'title is required' }, 400)
    const todo = { id: nextId++, title: body.title }
    todos.push(todo)
    return c.json(todo, 201)
  })
  app.delete('/todos/:id', (c) => {
    const index = todos.findIndex((todo) => todo.id === Number(c.req.param('id')))
    if (index === -1) return c.json({ error: 'not found' }, 404)
    todos.splice(index, 1)
    return c.body(null, 204)
  })
  app.get('/error', () => {
    throw new Error('something broke')
  })

  // Error and 404 responses keep the CORS headers, so the page can read them.
  app.onError((error, c) => {
    console.error(error)
    return c.json({ error: 'internal error' }, 500)
  })
  app.notFound((c) => c.json({ error: 'not found' }, 404))
  return app
}
