import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  adapters,
  benchAdapters,
  benchHandshakes,
  chromiumAdapters,
  coveredBy,
  covers,
  doctorExamples,
  type HttpAdapter,
  httpAdapters,
  type NotCovered,
  otherExamples,
  otherPackages,
  packedPackages,
  playgroundAdapters,
  smokeAdapters,
  smokeHandshakes,
} from './adapters.ts'

// The checklist test: the adapter list, the repository and the docs agree. It fails when an adapter
// or example exists that the list does not know, when a suite does not cover a listed adapter, and
// when ARCHITECTURE.md or CONTRIBUTING.md names a file that does not exist.

const root = resolve(import.meta.dirname, '../../..')

interface Manifest {
  name: string
  private?: boolean
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest
const declared = (dir: string): string[] => {
  const { dependencies = {}, devDependencies = {} } = manifest(dir)
  return [...Object.keys(dependencies), ...Object.keys(devDependencies)]
}

// The workspaces the repository holds: folders with a committed package.json (a folder someone has
// started but not added yet is not part of the repository).
function workspaces(parent: 'packages' | 'examples'): string[] {
  const files = execFileSync('git', ['ls-files', `${parent}/*/package.json`], { cwd: root, encoding: 'utf8' })
  return files
    .split('\n')
    .filter((line) => line.split('/').length === 3)
    .map((line) => line.split('/')[1]!)
    .sort()
}

describe('the adapter list knows every workspace', () => {
  it('names every folder under packages/', () => {
    const known = [...adapters.map((a) => a.name), ...otherPackages.published, ...otherPackages.private]
    expect(workspaces('packages')).toEqual([...known].sort())
  })

  it('names every folder under examples/', () => {
    const known = [...adapters.flatMap((a) => (a.example === null ? [] : [a.name])), ...otherExamples]
    expect(workspaces('examples')).toEqual([...known].sort())
  })

  it.each(adapters)('$npm is packages/$name, published, with its example', (adapter) => {
    const pkg = manifest(`packages/${adapter.name}`)
    expect(pkg.name).toBe(adapter.npm)
    expect(pkg.private).toBeUndefined()
    if (adapter.example !== null) expect(manifest(`examples/${adapter.name}`).name).toBe(adapter.example)
  })
})

const suites = ['describeConformance', 'describeAdversarial', 'describePolicyLifecycle', 'describeProtection']
const testSources = (name: string): string =>
  readdirSync(join(root, 'packages', name, 'src'))
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => readFileSync(join(root, 'packages', name, 'src', file), 'utf8'))
    .join('\n')

describe.each(httpAdapters)('$npm in every suite and tool', (adapter) => {
  it('runs the four shared suites (conformance, adversarial, lifecycle, protection)', () => {
    const sources = testSources(adapter.name)
    for (const suite of suites) expect(sources, suite).toContain(`${suite}(`)
  })

  it('declares its framework as its first peer dependency', () => {
    const peers = Object.keys(manifest(`packages/${adapter.name}`).peerDependencies ?? {})
    expect(peers[0] === adapter.framework || adapter.framework === null).toBe(true)
  })

  // Every tool runs the adapter, or the list says why not in a sentence.
  it('says why, for every tool that does not run it', () => {
    const tools = [adapter.bench, adapter.playground, adapter.chromium, adapter.smoke]
    const gaps = tools.filter((entry) => !covers(entry)) as NotCovered[]
    expect(gaps.filter((gap) => !/\w+ \w+ \w+/.test(gap.notCovered))).toEqual([])
  })
})

const full = (name: string): HttpAdapter => httpAdapters.find((adapter) => adapter.name === name)!

describe.each(benchAdapters)('the benchmark runs $name', ({ name, bench }) => {
  it('from its bench module, and declares what it runs on', () => {
    const module = readFileSync(join(root, 'packages/bench/src/frameworks', `${name}.ts`), 'utf8')
    expect(module).toContain(`export const ${bench.export}: Framework`)
    const needed = [full(name).npm, ...bench.runsOn, bench.peerPackage]
    expect(declared('packages/bench')).toEqual(expect.arrayContaining(needed))
  })
})

describe.each(benchHandshakes)('the benchmark times handshakes through $npm', ({ npm, bench }) => {
  it('from its servers module, which uses the package, and declares what it runs on', () => {
    expect(readFileSync(join(root, bench.module), 'utf8')).toContain(`from '${npm}'`)
    expect(declared('packages/bench')).toEqual(expect.arrayContaining([npm, ...bench.runsOn]))
  })
})

describe.each(playgroundAdapters)('the playground starts $name', ({ name, npm }) => {
  it('from its example, both declared', () => {
    expect(declared('examples/browser')).toEqual(expect.arrayContaining([npm, full(name).example]))
  })
})

describe.each(chromiumAdapters)('the Chromium suites start $name', ({ npm }) => {
  it('in the browser suite and the doctor agreement suite, both declaring it', () => {
    expect(declared('examples/browser')).toContain(npm)
    expect(declared('packages/doctor')).toContain(npm)
  })
})

// A tool that leaves an adapter to another test names it; that test must be the real thing.
const elsewhere = adapters.flatMap((adapter) =>
  coveredBy(adapter.chromium) ? [{ npm: adapter.npm, ...adapter.chromium }] : [],
)
// Through the shared launcher (@cors/conformance/chromium), or through Playwright's own launch.
const launchesChromium = (source: string): boolean =>
  (/from '@cors\/conformance\/chromium'/.test(source) && /\blaunchChromium(Browser)?\(/.test(source)) ||
  (/from 'playwright-core'/.test(source) && /\bchromium\.launch\(/.test(source))

describe.each(elsewhere)('$npm in Chromium: $coveredBy', ({ npm, coveredBy: file, why }) => {
  it('exists, launches Chromium, and its workspace is the package or depends on it', () => {
    const source = readFileSync(join(root, file), 'utf8')
    expect(launchesChromium(source), file).toBe(true)
    const workspace = file.split('/').slice(0, 2).join('/')
    expect(manifest(workspace).name === npm || declared(workspace).includes(npm), workspace).toBe(true)
  })

  it('says why the shared suites do not start it, in a sentence', () => {
    expect(why).toMatch(/\w+ \w+ \w+/)
  })
})

describe.each(doctorExamples)(
  "the doctor's Chromium agreement serves $name's built example",
  ({ example }) => {
    it('declaring the example, so turbo builds it before the doctor tests', () => {
      expect(declared('packages/doctor')).toContain(example)
    })
  },
)

describe.each(smokeHandshakes)(
  'the packed smoke test opens sockets through $name',
  ({ name, npm, servers }) => {
    it('imports it in the fixture and installs the servers its tests use', () => {
      const fixture = readFileSync(join(root, 'packages/smoke/fixtures/packed-smoke.mjs'), 'utf8')
      expect(fixture).toContain(`from '${npm}'`)
      for (const server of servers) expect(fixture).toContain(`from '${server}'`)
      const devDependencies = Object.keys(manifest(`packages/${name}`).devDependencies ?? {})
      expect(devDependencies).toEqual(expect.arrayContaining([...servers]))
    })
  },
)

describe.each(smokeAdapters)('the packed smoke test mounts $name', ({ name, npm, framework }) => {
  it('imports it in the fixture and installs its framework', () => {
    const fixture = readFileSync(join(root, 'packages/smoke/fixtures/packed-smoke.mjs'), 'utf8')
    expect(fixture).toContain(`from '${npm}'`)
    const devDependencies = Object.keys(manifest(`packages/${name}`).devDependencies ?? {})
    expect(framework === null || devDependencies.includes(framework)).toBe(true)
  })
})

describe('the packed-tarball smoke test', () => {
  // Declared so turbo builds each package before the smoke test packs it.
  it('declares every package it packs', () => {
    expect(declared('packages/smoke')).toEqual(
      expect.arrayContaining(packedPackages.map((name) => `@cors/${name}`)),
    )
  })
})

// A path in backticks with a folder and a file extension, e.g. `packages/<name>/src/index.ts`.
const pathPattern = /`((?:packages|examples|\.changeset)\/[^`\s]*\.[a-z]+)`/g
// `<name>` stands for an adapter: checked against the first of the list, which every tool runs (the
// tests above check each adapter's own coverage).
const expand = (path: string): string[] => [path.replaceAll('<name>', httpAdapters[0]!.name)]

describe.each(['ARCHITECTURE.md', 'CONTRIBUTING.md'])('%s', (doc) => {
  const paths = (): string[] =>
    [...readFileSync(join(root, doc), 'utf8').matchAll(pathPattern)].map((match) => match[1]!)

  it('names files to edit', () => {
    expect(paths().length).toBeGreaterThan(5)
  })

  it('names only files that exist', () => {
    const missing = paths()
      .flatMap(expand)
      .filter((path) => !existsSync(join(root, path)))
    expect(missing).toEqual([])
  })
})
