export function GET(): Response {
  return Response.json({ secret: 42 })
}
