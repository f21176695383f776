export function GET(): Response {
  throw new Error('boom (a route error, on purpose)')
}
