import { type CorsRejectHook, cors } from '@cors/express'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'

interface Todo {
  id: number
  title: string
  done: boolean
}

/** An error with the HTTP status Express's final handler and the error handler below answer with. */
const httpError = (status: number, message: string) => Object.assign(new Error(message), { status })

/** Options for embedding the example, as the playground in examples/browser does. */
export interface AppOptions {
  /** Receives every request the CORS policy rejects, with the reason. */
  onReject?: CorsRejectHook<Request>
}

/** A small todo API for a single-page app served from another origin. */
export function createApp(options: AppOptions = {}): Express {
  const app = express()
  const todos = new Map<number, Todo>([[1, { id: 1, title: 'Try @cors/express', done: false }]])
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
  app.use(express.json({ limit: '10kb' }))

  // Writes need a (demo) bearer token. CORS runs first, so preflights never reach this check, and
  // the 401 it passes to next() still carries the CORS headers the page needs to read it.
  const requireToken = (req: Request, _res: Response, next: NextFunction) => {
    next(
      req.get('authorization') === 'Bearer demo-token' ? undefined : httpError(401, 'missing or wrong token'),
    )
  }

  app.get('/todos', (_req, res) => {
    res.set('X-Total-Count', String(todos.size)).json([...todos.values()])
  })
  app.post('/todos', requireToken, (req, res) => {
    const body: unknown = req.body
    const title =
      typeof body === 'object' && body !== null && typeof (body as { title?: unknown }).title === 'string'
        ? (body as { title: string }).title.trim()
        : ''
    if (title === '') throw httpError(422, 'title is required')
    const todo: Todo = { id: nextId++, title, done: false }
    todos.set(todo.id, todo)
    res.status(201).json(todo)
  })
  app.delete('/todos/:id', requireToken, (req, res) => {
    if (!todos.delete(Number(req.params['id']))) throw httpError(404, 'no such todo')
    res.sendStatus(204)
  })
  // A route that fails, to show that a 500 keeps its CORS headers.
  app.get('/error', () => {
    throw new Error('something broke')
  })
  // Errors as plain text: the status the error carries (401, 404, 413, 422...), else 500.
  app.use(
    (
      error: Error & { status?: number; expose?: boolean },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      const status = error.status ?? 500
      res
        .status(status)
        .type('text')
        .send(status < 500 ? error.message : 'internal error')
    },
  )
  return app
}
