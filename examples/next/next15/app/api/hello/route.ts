// POST only: its preflight is answered by the middleware.
export async function POST(request: Request): Promise<Response> {
  return Response.json({ hello: await request.text() }, { headers: { 'x-total-count': '1' } })
}
