const todos = [{ id: 1, title: 'Read the Fetch standard' }]

export function GET(): Response {
  return Response.json(todos, { headers: { 'x-total-count': String(todos.length) } })
}

export async function POST(request: Request): Promise<Response> {
  const todo = (await request.json()) as { title: string }
  return Response.json({ id: todos.length + 1, title: todo.title }, { status: 201 })
}
