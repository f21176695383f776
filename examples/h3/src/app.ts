import { type CorsRejectHook, cors } from '@cors/h3'
import { H3, type H3Event, HTTPError, readBody } from 'h3'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<H3Event>
}

/** A small todo API with the CORS policy a real single-page app needs. */
export function createApp(options: AppOptions = {}): H3 {
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/h3' }]
  let nextId = 2
  // Errors and 404s keep the CORS headers, so the page can read them.
  const app = new H3({
    onError: (error) => {
      if (error.unhandled) console.error(error)
      return Response.json(
        { error: error.unhandled ? 'internal error' : error.message },
        { status: error.status },
      )
    },
  })

  // First, so preflights are answered before routing and before any other middleware runs.
  app.use(
    cors({
      origin: ['http://localhost:5173', 'https://app.example.com'],
      credentials: true,
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: ['X-Total-Count'],
      maxAge: 600,
      ...(options.onReject === undefined ? {} : { onReject: options.onReject }),
    }),
  )

  app.get('/todos', (event) => {
    event.res.headers.set('x-total-count', String(todos.length))
    return todos
  })
  // POST only: its preflight is answered by the middleware all the same.
  app.post('/todos', async (event) => {
    const body = (await readBody<{ title?: unknown }>(event).catch(() => undefined)) ?? {}
    if (typeof body.title !== 'string') throw new HTTPError({ status: 400, message: 'title is required' })
    const todo = { id: nextId++, title: body.title }
    todos.push(todo)
    event.res.status = 201
    return todo
  })
  app.delete('/todos/:id', (event) => {
    const index = todos.findIndex((todo) => todo.id === Number(event.context.params?.['id']))
    if (index === -1) throw new HTTPError({ status: 404, message: 'not found' })
    todos.splice(index, 1)
    return new Response(null, { status: 204 })
  })
  app.get('/error', () => {
    throw new Error('something broke')
  })
  return app
}
