// POST only: no OPTIONS export. The proxy answers this route's preflights before Next routes them.
export async function POST(request: Request): Promise<Response> {
  const body = await request.text()
  return Response.json({ received: body.length }, { status: 201 })
}
