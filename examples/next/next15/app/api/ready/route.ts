// Polled by the tests until `next start` answers.
export function GET(): Response {
  return new Response('ready')
}
