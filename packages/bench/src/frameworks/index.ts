import { type BenchAdapterName, type BenchEntry, benchAdapters } from '@cors/conformance/adapters'
import type { Framework } from './types.ts'

export type FrameworkName = BenchAdapterName
/** The frameworks in report order: the adapters of the one list (`@cors/conformance/adapters`) it runs. */
export const frameworkNames: readonly FrameworkName[] = benchAdapters.map((adapter) => adapter.name)

/**
 * Loads one framework's module, `./<name>.ts`. On demand: a server process imports only the framework
 * it serves, so no other library's code shares its heap or its JIT state.
 */
export async function loadFramework(name: FrameworkName): Promise<Framework> {
  const { bench } = benchAdapters.find((adapter) => adapter.name === name)!
  const module = (await import(`./${name}.ts`)) as Record<string, Framework>
  return module[bench.export]!
}

/** For the report: what runs each framework, its peer plugin and the npm package that ships it. */
export const about: Readonly<Record<FrameworkName, BenchEntry>> = Object.fromEntries(
  benchAdapters.map((adapter) => [adapter.name, adapter.bench]),
) as Record<FrameworkName, BenchEntry>

export { type Framework, type Variant, variantLabels, variants } from './types.ts'
