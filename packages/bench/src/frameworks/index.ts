import { type BenchAdapterName, type BenchEntry, benchAdapters } from '@cors/conformance/adapters'
import type { Framework } from './types.ts'

/** A framework that is not an adapter but runs one: the bench loads it like an adapter, `./<name>.ts`. */
export interface BenchHost {
  readonly name: string
  /** The adapter it runs (its package is what "ours" mounts). */
  readonly adapter: BenchAdapterName
  readonly bench: BenchEntry
}

/**
 * The hosts, after the adapters in report order: NestJS on its Express and Fastify platforms, running
 * @cors/express and @cors/fastify as examples/nest mounts them, next to Nest's own `app.enableCors()`.
 */
export const hosts = [
  {
    name: 'nest-express',
    adapter: 'express',
    bench: {
      export: 'nestExpress',
      runsOn: ['@nestjs/core', '@nestjs/platform-express', 'express'],
      peer: 'app.enableCors(): cors',
      peerPackage: 'cors',
    },
  },
  {
    name: 'nest-fastify',
    adapter: 'fastify',
    bench: {
      export: 'nestFastify',
      runsOn: ['@nestjs/core', '@nestjs/platform-fastify', 'fastify'],
      peer: 'app.enableCors(): @fastify/cors',
      peerPackage: '@fastify/cors',
    },
  },
] as const satisfies readonly BenchHost[]

export type FrameworkName = BenchAdapterName | (typeof hosts)[number]['name']
const frameworks: readonly { readonly name: FrameworkName; readonly bench: BenchEntry }[] = [
  ...benchAdapters,
  ...hosts,
]
/**
 * The frameworks in report order: the adapters of the one list (`@cors/conformance/adapters`) it runs,
 * then the hosts.
 */
export const frameworkNames: readonly FrameworkName[] = frameworks.map((framework) => framework.name)

/**
 * Loads one framework's module, `./<name>.ts`. On demand: a server process imports only the framework
 * it serves, so no other library's code shares its heap or its JIT state.
 */
export async function loadFramework(name: FrameworkName): Promise<Framework> {
  const { bench } = frameworks.find((framework) => framework.name === name)!
  const module = (await import(`./${name}.ts`)) as Record<string, Framework>
  return module[bench.export]!
}

/** For the report: what runs each framework, its peer plugin and the npm package that ships it. */
export const about: Readonly<Record<FrameworkName, BenchEntry>> = Object.fromEntries(
  frameworks.map((framework) => [framework.name, framework.bench]),
) as Record<FrameworkName, BenchEntry>

export { type Framework, type Variant, variantLabels, variants } from './types.ts'
