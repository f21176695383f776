import cors, { type CorsRejectHook } from '@cors/fastify'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'

interface Todo {
  id: number
  title: string
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<FastifyRequest>
  /** Fastify's request log. @default on, except under NODE_ENV=test */
  logger?: boolean
}

/** A small todo API with the CORS policy a real single-page app needs. */
export async function createApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? process.env.NODE_ENV !== 'test' })
  const todos: Todo[] = [{ id: 1, title: 'Try @cors/fastify' }]
  let nextId = 2

  await app.register(cors, {
    origin: ['http://localhost:5173', 'https://app.example.com'],
    credentials: true,
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['X-Total-Count'],
    maxAge: 600,
    ...(options.onReject === undefined ? {} : { onReject: options.onReject }),
  })

  app.get('/todos', (_request, reply) => reply.header('x-total-count', String(todos.length)).send(todos))

  app.post<{ Body: { title: string } }>(
    '/todos',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          properties: { title: { type: 'string', minLength: 1 } },
        },
      },
    },
    (request, reply) => {
      const todo = { id: nextId++, title: request.body.title }
      todos.push(todo)
      return reply.code(201).send(todo)
    },
  )

  app.delete<{ Params: { id: string } }>('/todos/:id', (request, reply) => {
    const index = todos.findIndex((todo) => todo.id === Number(request.params.id))
    if (index === -1) return reply.code(404).send({ error: 'not found' })
    todos.splice(index, 1)
    return reply.code(204).send()
  })

  app.get('/error', () => {
    throw new Error('something broke')
  })

  return app
}
