// The playground's API (examples/browser), the same as in every example: GET /todos (with
// X-Total-Count), POST /todos and DELETE /todos/:id with the demo bearer token. The proxy
// (proxy.ts) applies the CORS policy before any of these runs. One optional catch-all route file,
// so /todos and /todos/:id share one list.

interface Todo {
  id: number
  title: string
  done: boolean
}

interface Context {
  params: Promise<{ id?: string[] }>
}

const todos = new Map<number, Todo>([[1, { id: 1, title: 'Try @cors/next', done: false }]])
let nextId = 2

const text = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
const notFound = (): Response => text(404, 'not found')
const unauthorized = (request: Request): Response | undefined =>
  request.headers.get('authorization') === 'Bearer demo-token'
    ? undefined
    : text(401, 'missing or wrong token')

/** The path below /todos: [] for /todos, ['1'] for /todos/1. */
const below = async (context: Context): Promise<string[]> => (await context.params).id ?? []

export async function GET(_request: Request, context: Context): Promise<Response> {
  if ((await below(context)).length > 0) return notFound()
  return Response.json([...todos.values()], { headers: { 'x-total-count': String(todos.size) } })
}

export async function POST(request: Request, context: Context): Promise<Response> {
  if ((await below(context)).length > 0) return notFound()
  const refused = unauthorized(request)
  if (refused !== undefined) return refused
  const body: unknown = await request.json().catch(() => null)
  const title =
    typeof body === 'object' && body !== null && typeof (body as { title?: unknown }).title === 'string'
      ? (body as { title: string }).title.trim()
      : ''
  if (title === '') return text(422, 'title is required')
  const todo: Todo = { id: nextId++, title, done: false }
  todos.set(todo.id, todo)
  return Response.json(todo, { status: 201 })
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const path = await below(context)
  if (path.length !== 1) return notFound()
  const refused = unauthorized(request)
  if (refused !== undefined) return refused
  if (!todos.delete(Number(path[0]))) return text(404, 'no such todo')
  return new Response(null, { status: 204 })
}
