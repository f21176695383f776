import { join } from 'node:path'
import ts from 'typescript'

// The export names TypeScript sees in an installed package (types and values), read through its
// published .d.mts as a user's editor would.

/** The export names of each of `specifiers`, resolved from the project at `dir`, sorted. One program for all. */
export function exportNames(dir: string, specifiers: readonly string[]): Record<string, string[]> {
  const probe = join(dir, 'exports-probe.ts')
  const source = specifiers.map((specifier, i) => `export * as p${i} from '${specifier}'\n`).join('')
  const host = ts.createCompilerHost({})
  const { readFile, fileExists } = host
  host.readFile = (file) => (file === probe ? source : readFile(file))
  host.fileExists = (file) => file === probe || fileExists(file)
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    skipLibCheck: true,
    noLib: true,
  }
  const program = ts.createProgram([probe], options, host)
  const checker = program.getTypeChecker()
  const statements = program.getSourceFile(probe)!.statements.filter(ts.isExportDeclaration)
  return Object.fromEntries(
    specifiers.map((specifier, i) => {
      const module = checker.getSymbolAtLocation(statements[i]!.moduleSpecifier!)
      if (module === undefined) throw new Error(`${specifier} does not resolve from ${dir}`)
      return [
        specifier,
        checker
          .getExportsOfModule(module)
          .map((symbol) => symbol.name)
          .sort(),
      ]
    }),
  )
}

/** What `@cors/core/reexport` holds, and so what every adapter re-exports in one line. */
export const sharedNames: readonly string[] = [
  'CorsActualAllowed',
  'CorsConfigError',
  'CorsConfigIssue',
  'CorsConfigIssueCode',
  'CorsCredentialedOptions',
  'CorsDecision',
  'CorsHeaders',
  'CorsHeadersTarget',
  'CorsNonCors',
  'CorsOptions',
  'CorsOrigin',
  'CorsOriginFunction',
  'CorsOriginItem',
  'CorsPolicy',
  'CorsPreflightAllowed',
  'CorsProtectionOptions',
  'CorsPublicOptions',
  'CorsReason',
  'CorsRejectHook',
  'CorsRejection',
  'CorsRequest',
  'CorsShadowDifference',
  'CorsShadowHook',
  'validateCorsOptions',
]

// The core names each adapter re-exported by hand before @cors/core/reexport (issue 20): none may go.
const handPicked = [
  'CorsConfigError',
  'CorsConfigIssue',
  'CorsDecision',
  'CorsOptions',
  'CorsOrigin',
  'CorsOriginFunction',
  'CorsPolicy',
  'CorsReason',
  'CorsRejectHook',
  'CorsRejection',
  'validateCorsOptions',
]

/** Every name an adapter published before the shared set, its own included. */
export const previousExports: Readonly<Record<string, readonly string[]>> = {
  '@cors/fastify': [
    ...handPicked,
    'CorsActualAllowed',
    'CorsConfigIssueCode',
    'CorsCredentialedOptions',
    'CorsHeaders',
    'CorsHeadersTarget',
    'CorsNonCors',
    'CorsOriginItem',
    'CorsPreflightAllowed',
    'CorsPublicOptions',
    'CorsRequest',
    'FastifyCorsOptions',
    'FastifyCorsPluginOptions',
    'FastifyCorsRouteOptions',
    'cors',
    'default',
  ],
  '@cors/koa': [...handPicked, 'KoaCorsOptions', 'cors'],
  '@cors/hono': [...handPicked, 'HonoCorsOptions', 'cors'],
  '@cors/fetch': [
    ...handPicked,
    'CorsRouteHandler',
    'CorsRoutes',
    'FetchCorsOptions',
    'FetchHandler',
    'RouteHandler',
    'RouteHandlers',
    'RouteMethod',
    // Since issue 19.11: a policy shared by withCors and withCorsRoutes without installing @cors/core.
    'createCors',
    'withCors',
    'withCorsRoutes',
  ],
  '@cors/express': [...handPicked, 'ExpressCorsMiddleware', 'ExpressCorsOptions', 'cors', 'default'],
}
