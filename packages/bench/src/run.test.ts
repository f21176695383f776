import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { httpAdapters } from '@cors/conformance/adapters'
import { describe, expect, it } from 'vitest'
import { frameworkNames, hosts } from './frameworks/index.ts'
import { check, payloadJson } from './policy.ts'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const tsx = createRequire(import.meta.url).resolve('tsx')

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, 'src/run.ts', ...args], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('the benchmark', () => {
  // No timings are asserted: this only proves the script still starts, checks and loads every variant.
  // autocannon, not wrk, so it runs wherever `npm ci` ran.
  it('checks every variant and loads each one briefly in --dry mode', async () => {
    const { code, stdout, stderr } = await runBench(['--dry', '--load', 'autocannon'])
    expect(code, stderr).toBe(0)
    expect(stdout).toContain('## Load benchmark')
    expect(stdout).toContain('## Ours compared')
    for (const framework of frameworkNames) {
      for (const variant of ['no CORS', 'hand-written', 'peer', 'ours'])
        expect(stdout).toMatch(new RegExp(`\\| ${framework} \\| GET, no Origin \\| ${variant}[ |(]`))
      // Every adapter does everything the policy requires, for every request kind.
      const ours = stdout
        .split('\n')
        .filter((line) => line.startsWith(`| ${framework} |`) && line.includes('| ours |'))
      expect(ours).toHaveLength(4)
      for (const line of ours) expect(line).toMatch(/\| ok \|$/)
    }
    // Each variant was loaded once: one line of progress per server.
    expect(stderr.match(/^\[1\/1\] [\w-]+ [\w-]+: (preflight|allowed|disallowed|no-origin) /gm)).toHaveLength(
      frameworkNames.length * 4,
    )
    // The WebSocket handshakes are part of the run, checked and loaded too.
    expect(stdout).toContain('## WebSocket handshakes (@cors/websocket)')
    expect(stderr).toMatch(/^\[handshakes 1\/1\] ws ours: allowed /m)
  })

  it('runs only the WebSocket handshakes with --handshakes-only, every variant checked', async () => {
    const { code, stdout, stderr } = await runBench(['--dry', '--handshakes-only'])
    expect(code, stderr).toBe(0)
    expect(stdout).not.toContain('## Load benchmark')
    expect(stdout).not.toContain('## Core micro-benchmark')
    for (const kind of ['allowed origin', 'disallowed origin', 'no Origin']) {
      const status = kind === 'disallowed origin' ? 403 : 101
      for (const variant of ['hand-written', 'ours'])
        expect(stdout).toMatch(new RegExp(`\\| ${kind} \\| ${variant} \\| ${status} \\|.*\\| ok \\|$`, 'm'))
      expect(stdout).toMatch(new RegExp(`\\| ${kind} \\| no origin check \\| 101 \\|`, 'm'))
      expect(stdout).toContain(`| ${kind} | peer | — |`)
    }
    // --dry loads each variant on its first kind only.
    expect(stderr.match(/^\[handshakes 1\/1\] ws [\w-]+: allowed /gm)).toHaveLength(3)
  })
})

// What the adapter list's checklist test asks of each adapter's bench module, asked of each host.
describe.each(hosts)('the benchmark runs $name', ({ name, adapter, bench }) => {
  it('from its bench module, and declares what it runs on', () => {
    const module = readFileSync(new URL(`frameworks/${name}.ts`, import.meta.url), 'utf8')
    expect(module).toContain(`export const ${bench.export}: Framework`)
    const { dependencies } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as {
      dependencies: Record<string, string>
    }
    const npm = httpAdapters.find((listed) => listed.name === adapter)!.npm
    expect(Object.keys(dependencies)).toEqual(
      expect.arrayContaining([npm, ...bench.runsOn, bench.peerPackage]),
    )
  })
})

describe('the policy checks', () => {
  const allowed = {
    'access-control-allow-origin': 'https://app3.example.com',
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Total-Count',
    'x-total-count': '3',
    vary: 'Origin',
  }

  it('pass a response that does what the policy requires', () => {
    expect(check('allowed', { status: 200, headers: allowed, body: payloadJson })).toEqual([])
  })

  it('flag a missing header, and only note a missing Vary', () => {
    const { 'access-control-expose-headers': _, vary: __, ...rest } = allowed
    expect(check('allowed', { status: 200, headers: rest, body: payloadJson })).toEqual([
      { severity: 'error', message: 'allowed GET: X-Total-Count not in Expose-Headers' },
      { severity: 'note', message: 'allowed GET: no Vary: Origin (a shared cache can mix origins)' },
    ])
  })

  it('flag Allow-Origin sent to a disallowed origin', () => {
    const findings = check('disallowed', {
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'x-total-count': '3', vary: 'Origin' },
      body: payloadJson,
    })
    expect(findings.filter((f) => f.severity === 'error')).toHaveLength(1)
  })
})
