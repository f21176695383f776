import { type CorsRejectHook, cors, type ElysiaCorsContext } from '@cors/elysia'
import { Elysia, type ElysiaAdapter, t } from 'elysia'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<ElysiaCorsContext>
  /** Elysia's server adapter: none on Bun, `node()` from `@elysiajs/node` on Node. */
  adapter?: ElysiaAdapter
}

/** A small todo API with the CORS policy a real single-page app needs. */
export function createApp(options: AppOptions = {}) {
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/elysia' }]
  let nextId = 2
  return (
    new Elysia(options.adapter === undefined ? {} : { adapter: options.adapter })
      // First, so preflights are answered before routing, validation and guards.
      .use(
        cors({
          origin: ['http://localhost:5173', 'https://app.example.com'],
          credentials: true,
          allowedHeaders: ['Content-Type', 'Authorization'],
          exposedHeaders: ['X-Total-Count'],
          maxAge: 600,
          ...(options.onReject === undefined ? {} : { onReject: options.onReject }),
        }),
      )
      .get('/todos', ({ set }) => {
        set.headers['x-total-count'] = String(todos.length)
        return todos
      })
      // POST only, with a validated body: its preflight is answered before validation runs.
      .post(
        '/todos',
        ({ body, status }) => {
          const todo = { id: nextId++, title: body.title }
          todos.push(todo)
          return status(201, todo)
        },
        { body: t.Object({ title: t.String() }) },
      )
      .delete('/todos/:id', ({ params, status }) => {
        const index = todos.findIndex((todo) => todo.id === Number(params.id))
        if (index === -1) return status(404, { error: 'not found' })
        todos.splice(index, 1)
        return status(204)
      })
      .get('/error', () => {
        throw new Error('something broke')
      })
  )
}
