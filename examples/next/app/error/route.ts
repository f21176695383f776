// The playground's failing route: Next answers its 500 with the proxy's CORS headers, so the page can
// read it.
export function GET(): Response {
  throw new Error('something broke')
}
