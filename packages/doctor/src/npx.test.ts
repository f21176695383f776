import { execFile, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'

// The command users copy, `npx @cors/doctor …`, run as written against the packed tarballs (the
// doctor and the core it depends on) installed in a project outside the workspace: no workspace
// link, no registry. The bare name `cors-doctor` is not ours on npm, so no doc may use it with npx.
const here = resolve(import.meta.dirname, '..')
const root = resolve(here, '../..')
let project = ''
let server: Server
let port = 0

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'cors-doctor-npx-'))
  const dependencies: Record<string, string> = {}
  for (const name of ['core', 'doctor']) {
    const [packed] = JSON.parse(
      npm(['pack', '--json', '--pack-destination', project], join(root, 'packages', name)),
    ) as { filename: string }[]
    dependencies[`@cors/${name}`] = `file:./${packed!.filename}`
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'npx-doctor', private: true, dependencies }),
  )
  npm(['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project)
  server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', 'http://localhost:5173')
    if (req.method === 'OPTIONS') res.setHeader('access-control-allow-methods', 'PUT')
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
}, 180_000)

afterAll(() => {
  server?.close()
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

const codeBlocks = (readme: string): string[] =>
  [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((match) => match[2]!)

/** Every `npx …` line of the shell blocks of a README, continuation lines joined. */
function npxLines(readme: string): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!)
  const commands = blocks.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'))
  return commands.map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line.startsWith('npx '))
}

it('names only the scoped package with npx, and ships one bin: cors-doctor', () => {
  const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
  expect(manifest.bin).toEqual({ 'cors-doctor': './dist/cli.mjs' })
  for (const file of [join(root, 'README.md'), join(here, 'README.md')]) {
    const text = readFileSync(file, 'utf8')
    for (const block of codeBlocks(text)) expect(block, file).not.toMatch(/npx (--\S+ )*cors-doctor/)
    for (const line of npxLines(text)) expect(line, file).toMatch(/^npx @cors\/doctor /)
  }
})

it("runs the doctor README's npx command line as written against the packed tarball", async () => {
  const lines = npxLines(readFileSync(join(here, 'README.md'), 'utf8'))
  expect(lines.length).toBeGreaterThan(0)
  for (const line of lines) {
    // The documented host becomes this test's server; everything else stays as written.
    const command = line.replace(/https?:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${port}`)
    const { stdout } = await promisify(execFile)('sh', ['-c', command], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, npm_config_offline: 'true', NO_COLOR: '1' },
      timeout: 60_000,
    })
    expect(stdout, command).toContain('Allowed: the page can read the response.')
  }
})
