export function GET(): Response {
  return new Response('tagged', { headers: { vary: 'Accept-Encoding' } })
}
