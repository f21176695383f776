import { execFile, execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeOrigins, startReadmeApi } from '../test/readme-server.ts'

// The README's commands run as users copy them: `npx @cors/doctor …` against the packed tarballs
// (the doctor and the core it depends on) installed in a project outside the workspace (no workspace
// link, no registry), each output compared with the `text` block that follows it. The README's API at
// 127.0.0.1:3001 is a @cors/core policy on a free port here; the port is the only thing replaced.
// The bare name `cors-doctor` is not ours on npm, so no doc may use it with npx.
const here = resolve(import.meta.dirname, '..')
const root = resolve(here, '../..')
const readme = readFileSync(join(here, 'README.md'), 'utf8')
let project = ''
let doctorTarball = ''
let api: { server: Server; port: number }

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
    if (name === 'doctor') doctorTarball = packed!.filename
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'npx-doctor', private: true, dependencies }),
  )
  npm(['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project)
  copyFileSync(join(here, 'test/session.har'), join(project, 'session.har'))
  api = await startReadmeApi()
}, 180_000)

afterAll(() => {
  api?.server.close()
  if (project !== '') rmSync(project, { recursive: true, force: true })
})

interface Block {
  readonly language: string
  readonly body: string
  /** Whether only blank lines separate it from the block before: then it is that block's output. */
  readonly follows: boolean
}

function blocksOf(text: string): Block[] {
  let end = -1
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((match) => {
    const follows = end >= 0 && text.slice(end, match.index).trim() === ''
    end = match.index + match[0].length
    return { language: match[1]!, body: match[2]!, follows }
  })
}

/** The command lines of a shell block, continuation lines joined, comments dropped. */
const commands = (body: string): string[] =>
  body
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '')

const local = (text: string): string => text.replaceAll('127.0.0.1:3001', `127.0.0.1:${api.port}`)

async function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)('sh', ['-c', command], {
    cwd: project,
    env: { ...process.env, npm_config_offline: 'true', NO_COLOR: '1' },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

it('names only the scoped package with npx, and ships one bin: cors-doctor', () => {
  const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
  expect(manifest.bin).toEqual({ 'cors-doctor': './dist/cli.mjs' })
  for (const file of [join(root, 'README.md'), join(here, 'README.md')]) {
    for (const { language, body } of blocksOf(readFileSync(file, 'utf8'))) {
      expect(body, file).not.toMatch(/npx (--\S+ )*cors-doctor/)
      if (language !== 'sh') continue
      for (const line of commands(body).filter((command) => command.startsWith('npx ')))
        expect(line, file).toMatch(/^npx @cors\/doctor /)
    }
  }
})

describe('the README, run as written against the packed tarball', () => {
  const blocks = blocksOf(readme)

  it.each(
    blocks.flatMap((block, index) =>
      block.language === 'sh' ? [[commands(block.body).join(' && '), index]] : [],
    ),
  )('%s', async (_name, index) => {
    const block = blocks[index as number]!
    for (const line of commands(block.body)) {
      const command = line.startsWith('npm install')
        ? line.replace('@cors/doctor', `./${doctorTarball}`).replace('npm install', 'npm install --offline')
        : local(line)
      const result = await sh(command)
      const output = blocks[(index as number) + 1]
      if (output?.language === 'text' && output.follows) expect(result.stdout).toBe(local(output.body))
      else expect(result, command).toMatchObject({ code: 0 })
    }
  })

  it('shows the CLI synopsis exactly as --help starts', async () => {
    const synopsis = blocks.find(
      (block) => block.language === 'text' && block.body.startsWith('cors-doctor <url>'),
    )
    const help = await sh('npx @cors/doctor --help')
    expect(help.stdout.startsWith(synopsis!.body)).toBe(true)
  })

  it("runs the GitHub Actions step on the README's expectations: 0 as expected, 1 when a partner breaks", async () => {
    const workflow = blocks.find((block) => block.language === 'yaml')!.body
    const steps = [...workflow.matchAll(/^\s+- run: (.+)$/gm)].map((match) => match[1]!)
    expect(steps).toEqual(['npx @cors/doctor check cors-expectations.json'])
    // The deployed API is the local one; its pages get local names (a public page may not reach loopback).
    let expectations = blocks.find((block) => block.language === 'json')!.body
    expectations = expectations.replaceAll('https://api.example.com', `http://127.0.0.1:${api.port}`)
    for (const [from, to] of Object.entries(readmeOrigins))
      expectations = expectations.replaceAll(`"${from}"`, `"${to}"`)
    writeFileSync(join(project, 'cors-expectations.json'), expectations)
    const passing = await sh(steps[0]!)
    expect(passing.code, passing.stdout).toBe(0)
    expect(passing.stdout).toContain('3 of 3 requests got the expected verdict.')

    const broken = JSON.parse(expectations) as { requests: { origin: string; expect: string }[] }
    broken.requests.push({ ...broken.requests[1]!, origin: 'http://partner2.localhost', expect: 'allowed' })
    writeFileSync(join(project, 'cors-expectations.json'), JSON.stringify(broken))
    const failing = await sh(steps[0]!)
    expect(failing.code).toBe(1)
    expect(failing.stdout).toContain('FAIL blocked GET')
    expect(failing.stdout).toContain('3 of 4 requests got the expected verdict.')
  })
})
