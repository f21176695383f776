import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The release flow, rehearsed: `changeset status` and `changeset version` run in a throw-away copy
// of the manifests and changesets (nothing is ever published from here), and the result is checked.
const root = resolve(import.meta.dirname, '../../..')
const changeset = join(root, 'node_modules/.bin/changeset')
const workspaces = ['packages', 'examples'].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => join(dir, name)),
)

interface Manifest {
  name: string
  version: string
  private?: boolean
  dependencies?: Record<string, string>
}
interface Status {
  releases: { name: string; type: string; newVersion: string }[]
}

let copy = ''
let status: Status
const manifest = (dir: string, workspace: string): Manifest =>
  JSON.parse(readFileSync(join(dir, workspace, 'package.json'), 'utf8'))

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'cors-release-'))
  cpSync(join(root, 'package.json'), join(copy, 'package.json'))
  cpSync(join(root, '.changeset'), join(copy, '.changeset'), { recursive: true })
  for (const workspace of workspaces) {
    if (!existsSync(join(root, workspace, 'package.json'))) continue
    cpSync(join(root, workspace, 'package.json'), join(copy, workspace, 'package.json'))
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git(
    '-c',
    'user.name=release-check',
    '-c',
    'user.email=release-check@localhost',
    'commit',
    '-qm',
    'snapshot',
  )
  execFileSync(changeset, ['status', '--output', 'status.json'], { cwd: copy, stdio: 'ignore' })
  status = JSON.parse(readFileSync(join(copy, 'status.json'), 'utf8'))
  execFileSync(changeset, ['version'], { cwd: copy, stdio: 'ignore' })
}, 60_000)

afterAll(() => {
  if (copy !== '') rmSync(copy, { recursive: true, force: true })
})

describe('changesets release flow', () => {
  const pending = () =>
    readdirSync(join(root, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md')

  it('has changesets to release, and each names only published packages', () => {
    expect(pending().length).toBeGreaterThan(0)
    const bumped = status.releases.filter((release) => release.type !== 'none')
    expect(bumped.length).toBeGreaterThan(0)
    // Published: every workspace under packages/ whose manifest is not private.
    const published = workspaces
      .filter(
        (workspace) => workspace.startsWith('packages') && existsSync(join(root, workspace, 'package.json')),
      )
      .map((workspace) => manifest(root, workspace))
      .filter((pkg) => pkg.private !== true)
      .map((pkg) => pkg.name)
    expect(published).toEqual(
      expect.arrayContaining(['@cors/core', '@cors/doctor', '@cors/next', '@cors/websocket']),
    )
    for (const release of bumped) expect(published, release.name).toContain(release.name)
  })

  it('bumps exactly the packages status announced, and writes their changelogs', () => {
    for (const workspace of workspaces) {
      if (!existsSync(join(root, workspace, 'package.json'))) continue
      const before = manifest(root, workspace)
      const after = manifest(copy, workspace)
      const release = status.releases.find((r) => r.name === before.name)
      const bumps = release !== undefined && release.type !== 'none'
      expect(after.version, before.name).toBe(bumps ? release.newVersion : before.version)
      expect(existsSync(join(copy, workspace, 'CHANGELOG.md')), `${before.name} changelog`).toBe(bumps)
    }
  })

  it('never versions a private package', () => {
    for (const workspace of workspaces) {
      if (!existsSync(join(root, workspace, 'package.json'))) continue
      const before = manifest(root, workspace)
      if (before.private === true) expect(manifest(copy, workspace).version, before.name).toBe(before.version)
    }
  })

  it('moves the adapters onto the new core with a real semver range', () => {
    const core = manifest(copy, 'packages/core')
    for (const adapter of ['fastify', 'koa', 'hono', 'fetch']) {
      expect(manifest(copy, `packages/${adapter}`).dependencies?.['@cors/core'], adapter).toBe(
        `^${core.version}`,
      )
    }
  })

  it('consumes the changesets it applied', () => {
    expect(readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md'))).toEqual([])
  })
})
