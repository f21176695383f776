// Keeps the proxy's Vary: Origin on App Router pages (Next's 404 page included), which Next's page
// renderer would otherwise replace: see @cors/next's README.
export async function register(): Promise<void> {
  if (process.env['NEXT_RUNTIME'] === 'nodejs') (await import('@cors/next/instrumentation')).keepCorsVary()
}
