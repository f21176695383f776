// Moved to write/: kept while the core's files move into their folders (issue 20).

export {
  applyCorsHeaders,
  type CorsHeadersTarget,
  type CorsResponseTarget,
  decorateResponse,
} from './write/fetch.ts'
export { corsResponseHeaders } from './write/owned.ts'
export { appendVary } from './write/vary.ts'
export type { CorsWrite } from './write/writer.ts'
