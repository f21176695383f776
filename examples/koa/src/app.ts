import { type CorsRejectHook, cors } from '@cors/koa'
import Router, { type RouterMiddleware } from '@koa/router'
import Koa, { type Context } from 'koa'

interface Todo {
  id: number
  title: string
  done: boolean
}

/** Reads a small JSON object body (a demo without a body-parser dependency). */
async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) ctx.throw(415, 'send JSON')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    if (size > 10_000) ctx.throw(413, 'body too large')
    chunks.push(chunk as Buffer)
  }
  let value: unknown
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    ctx.throw(400, 'the body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.throw(400, 'the body must be a JSON object')
  }
  return value as Record<string, unknown>
}

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<Context>
}

/** A small todo API for a single-page app served from another origin. */
export function createApp(options: AppOptions = {}): Koa {
  const app = new Koa()
  const todos = new Map<number, Todo>([[1, { id: 1, title: 'Try @cors/koa', done: false }]])
  let nextId = 2

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

  // Writes need a (demo) bearer token. CORS runs first, so preflights never reach this check, and
  // the 401 it throws still carries the CORS headers the page needs to read it.
  const requireToken: RouterMiddleware = async (ctx, next) => {
    if (ctx.get('authorization') !== 'Bearer demo-token') ctx.throw(401, 'missing or wrong token')
    await next()
  }

  const router = new Router()
  router.get('/todos', (ctx) => {
    ctx.set('X-Total-Count', String(todos.size))
    ctx.body = [...todos.values()]
  })
  router.post('/todos', requireToken, async (ctx) => {
    const body = await readJson(ctx)
    const title = typeof body['title'] === 'string' ? body['title'].trim() : ''
    if (title === '') ctx.throw(422, 'title is required')
    const todo: Todo = { id: nextId++, title, done: false }
    todos.set(todo.id, todo)
    ctx.status = 201
    ctx.body = todo
  })
  router.delete('/todos/:id', requireToken, (ctx) => {
    if (!todos.delete(Number(ctx.params.id))) ctx.throw(404, 'no such todo')
    ctx.status = 204
  })
  // A route that fails, to show that a 500 keeps its CORS headers.
  router.get('/error', () => {
    throw new Error('something broke')
  })
  app.use(router.routes()).use(router.allowedMethods())
  return app
}
