import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { packedPackages, smokeAdapters, smokeHandshakes } from '@cors/conformance/adapters'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportNames, previousExports, sharedNames } from './exported.ts'

// npm pack every published package, install the tarballs into a project outside the workspace (no
// workspace links), and use them as a user would: a missing file or a wrong `exports` path fails here.
const root = resolve(import.meta.dirname, '../../..')
// The packages and the adapters to mount come from the one list of adapters (a published package it
// does not pack yet says why there).
const published = packedPackages
const mounted = smokeAdapters.map((adapter) => adapter.name)
const guards = smokeHandshakes.map((adapter) => adapter.name)
const dist = ['dist/index.d.mts', 'dist/index.mjs']
// The doctor also ships its command-line entry point; the core, what every adapter re-exports;
// @cors/next, its instrumentation entry (@cors/next/instrumentation).
const shipped: Record<string, string[]> = {
  core: [...dist, 'dist/reexport.d.mts', 'dist/reexport.mjs'],
  doctor: ['dist/cli.d.mts', 'dist/cli.mjs', ...dist],
  next: [...dist, 'dist/instrumentation.d.mts', 'dist/instrumentation.mjs'],
}

interface Packed {
  filename: string
  files: { path: string }[]
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })

const packed = new Map<string, Packed>()
let project = ''

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'cors-packed-'))
  const dependencies: Record<string, string> = {}
  for (const name of published) {
    const [info] = JSON.parse(
      npm(['pack', '--json', '--pack-destination', project], join(root, 'packages', name)),
    ) as Packed[]
    packed.set(name, info!)
    dependencies[`@cors/${name}`] = `file:./${info!.filename}`
  }
  // Each adapter's framework and each guard's servers, at the versions the package's own tests use.
  const servers = [
    ...smokeAdapters.map(({ name, framework }) => ({ name, needs: framework === null ? [] : [framework] })),
    ...smokeHandshakes.map(({ name, servers }) => ({ name, needs: servers })),
  ]
  for (const { name, needs } of servers) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
    for (const server of needs) dependencies[server] = manifest.devDependencies[server]
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'packed-smoke', private: true, type: 'module', dependencies }),
  )
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project)
  copyFileSync(join(import.meta.dirname, '../fixtures/packed-smoke.mjs'), join(project, 'smoke.mjs'))
}, 180_000)

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

describe('packed tarballs', () => {
  it.each(published)('@cors/%s ships only what users need', (name) => {
    const files = packed
      .get(name)!
      .files.map((file) => file.path)
      .sort()
    // A chunk shared by two entry points (dist/format-<hash>.mjs, its .d.mts) is part of the build too.
    const entries = files.filter((file) => !/^dist\/[a-z]+-[\w-]+\.(mjs|d\.mts)$/.test(file))
    expect(entries).toEqual(['LICENSE', 'README.md', ...(shipped[name] ?? dist), 'package.json'])
  })

  it('installs outside the workspace and answers through every adapter', () => {
    const output = execFileSync(process.execPath, ['smoke.mjs', ...mounted, ...guards], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PUBLISHED: JSON.stringify(published.map((name) => `@cors/${name}`)) },
    })
    const results = JSON.parse(output)
    const origin = 'https://app.example.com'
    expect(results.core).toEqual({ kind: 'actual', allowOrigin: origin })
    for (const adapter of mounted) {
      expect(results[adapter], adapter).toEqual({
        preflight: { status: 204, allowOrigin: origin, maxAge: '600' },
        actual: { status: 200, allowOrigin: origin, maxAge: null },
      })
    }
    // @cors/next's route handlers too, and its proxy letting the actual request go on to the route.
    expect(results.nextRoutes).toEqual({
      preflight: { status: 204, allowOrigin: origin, maxAge: '600' },
      actual: { status: 200, allowOrigin: origin, maxAge: null },
      proxyContinues: true,
    })
    // Real `ws` servers: the allowed origin's socket echoes, another origin's handshake gets 403.
    const sockets = { allowed: 'echo:hi', refused: 403 }
    for (const guard of guards) {
      expect(results[guard], guard).toEqual({
        check: { allowed: 'passed', refused: 403 },
        verifyClient: sockets,
        upgrade: sockets,
      })
    }
    expect(results.doctor).toEqual({ verdict: 'allowed', cli: true })
    expect(results.require).toEqual(published.map((name) => `@cors/${name}:object`))
  })

  // What TypeScript sees in each installed package: the adapters' names of before, plus the shared set.
  it('every adapter exports what it did, plus the one shared set from @cors/core/reexport', () => {
    const names = exportNames(project, [
      '@cors/core/reexport',
      ...smokeAdapters.map((adapter) => adapter.npm),
    ])
    expect(names['@cors/core/reexport']).toEqual(sharedNames)
    for (const { npm } of smokeAdapters) {
      const previous = previousExports[npm]
      // An adapter that existed before the shared set: exactly its old names plus the shared ones.
      const expected =
        previous === undefined
          ? expect.arrayContaining([...sharedNames])
          : [...new Set([...sharedNames, ...previous])].sort()
      expect(names[npm], npm).toEqual(expected)
    }
  })

  // Elysia's home runtime: the packed @cors/elysia, installed as above, served by Bun's own server.
  it('@cors/elysia answers on Bun too', () => {
    copyFileSync(join(import.meta.dirname, '../fixtures/packed-bun.mjs'), join(project, 'bun.mjs'))
    const output = execFileSync(join(root, 'node_modules/.bin/bun'), ['bun.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    })
    const origin = 'https://app.example.com'
    expect(JSON.parse(output)).toEqual({
      runtime: expect.stringMatching(/^bun \d/),
      elysia: {
        preflight: { status: 204, allowOrigin: origin, maxAge: '600' },
        actual: { status: 200, allowOrigin: origin, maxAge: null },
      },
    })
  })

  it('links to nothing in the workspace', () => {
    const resolved = execFileSync(
      process.execPath,
      ['-e', "console.log(require('node:fs').realpathSync(require.resolve('@cors/fastify/package.json')))"],
      { cwd: project, encoding: 'utf8' },
    ).trim()
    expect(resolved.startsWith(project) || resolved.startsWith('/private' + project)).toBe(true)
  })
})
