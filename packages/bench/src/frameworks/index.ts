import {
  type BenchEntry,
  type HttpAdapterName,
  httpAdapterNames,
  httpAdapters,
} from '@cors/conformance/adapters'
import type { Framework } from './types.ts'

export type FrameworkName = HttpAdapterName
/** The frameworks in report order: every HTTP adapter of the one list (`@cors/conformance/adapters`). */
export const frameworkNames: readonly FrameworkName[] = httpAdapterNames

/**
 * Loads one framework's module, `./<name>.ts`. On demand: a server process imports only the framework
 * it serves, so no other library's code shares its heap or its JIT state.
 */
export async function loadFramework(name: FrameworkName): Promise<Framework> {
  const { bench } = httpAdapters.find((adapter) => adapter.name === name)!
  const module = (await import(`./${name}.ts`)) as Record<string, Framework>
  return module[bench.export]!
}

/** For the report: what runs each framework, its peer plugin and the npm package that ships it. */
export const about: Readonly<Record<FrameworkName, BenchEntry>> = Object.fromEntries(
  httpAdapters.map((adapter) => [adapter.name, adapter.bench]),
) as Record<FrameworkName, BenchEntry>

export { type Framework, type Variant, variantLabels, variants } from './types.ts'
