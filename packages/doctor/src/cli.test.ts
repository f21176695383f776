import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The CLI as a process: `npm test` builds dist/ first (the package's test script runs tsdown).
const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url))
const origin = 'http://localhost:5173'

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function run(...args: string[]): Promise<Run> {
  return runWith('', ...args)
}

function runWith(stdin: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, NO_COLOR: '' } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr })
      },
    )
    child.stdin?.end(stdin)
  })
}

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/data` }
}

const servers: Server[] = []
let good: string
let silent: string
let closedPort: string
let hostile: string
let missing: string

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run `npx tsdown` (npm test does)')
  const allow = await listen((req, res) => {
    const allowed = req.headers.origin === origin
    if (allowed) res.setHeader('access-control-allow-origin', origin)
    if (req.method === 'OPTIONS') {
      if (allowed) res.setHeader('access-control-allow-methods', 'PUT')
      res.writeHead(allowed ? 204 : 403).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-secret': '1' }).end('{}')
  })
  // Accepts connections and never answers.
  const never = await listen(() => {})
  const closed = await listen(() => {})
  closedPort = closed.url
  closed.server.close()
  await once(closed.server, 'close')
  // Answers with a C1 escape (CSI, U+009B) in the header a browser compares to the origin.
  const rogue = await listen((_req, res) => {
    res.setHeader('access-control-allow-origin', 'http://x\x9b2J\x9b31m')
    res.writeHead(200).end()
  })
  hostile = rogue.url
  // No OPTIONS route: what a router answers without CORS middleware.
  const notFound = await listen((req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 404 : 200).end()
  })
  missing = notFound.url
  servers.push(notFound.server)
  servers.push(allow.server, never.server, rogue.server)
  good = allow.url
  silent = never.url
})

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    server.close()
  }
})

describe('cors-doctor', () => {
  it('exits 0 when a browser would allow the read, with numbered steps', async () => {
    const result = await run(good, '--origin', origin, '--method', 'PUT')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`PUT ${good} from ${origin}\n\n1. ok   [preflight] a preflight is needed`)
    expect(result.stdout).toContain(
      'Allowed: the page can read the response.\nReadable headers: content-type\n',
    )
    expect(result.stdout).not.toContain('\x1b[')
  })

  it('exits 1 when blocked, naming the check and the fix', async () => {
    const result = await run(good, '--origin', origin, '--header', 'X-Foo: 1')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "Blocked at the preflight: header-not-allowed (DevTools: HeaderDisallowedByPreflightResponse)\nFix: send `Access-Control-Allow-Headers: x-foo` (or a list with it) on the preflight's answer (with @cors/*: add `x-foo` to `allowedHeaders`)\n",
    )
  })

  it('prints the JSON contract with --json', async () => {
    const result = await run(good, '--origin', 'http://evil.localhost', '--json', '--credentials')
    expect(result.code).toBe(1)
    const json = JSON.parse(result.stdout)
    expect(Object.keys(json)).toEqual([
      'verdict',
      'preflight',
      'response',
      'readableHeaders',
      'failure',
      'steps',
    ])
    expect(json).toMatchObject({
      verdict: 'blocked',
      preflight: null,
      response: { status: 200 },
      readableHeaders: [],
      failure: { stage: 'actual', check: 'allow-origin-missing' },
    })
    expect(Object.keys(json.failure)).toEqual(['stage', 'check', 'message', 'fix', 'chromeError'])
    for (const step of json.steps) expect(Object.keys(step)).toEqual(['stage', 'check', 'ok', 'message'])
  })

  it('escapes the control characters a server sends, in the steps and in --json', async () => {
    const human = await run(hostile, '--origin', origin)
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('Access-Control-Allow-Origin: http://x\\u009b2J\\u009b31m`')
    const json = await run(hostile, '--origin', origin, '--json')
    for (const output of [human.stdout, json.stdout])
      expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/)
    expect(JSON.parse(json.stdout).response.headers['access-control-allow-origin']).toBe(
      'http://x\x9b2J\x9b31m',
    )
  })

  it.each([
    [['--origin', origin], 'cors-doctor: give exactly one URL\nRun cors-doctor --help for usage.\n'],
    [
      ['http://127.0.0.1:1/'],
      'cors-doctor: --origin is required: the origin of the page making the request\nRun cors-doctor --help for usage.\n',
    ],
    [
      ['not-a-url', '--origin', origin],
      'cors-doctor: "not-a-url" is not a URL: write it in full, e.g. https://api.example.com/todos\n',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', origin, '--header', 'X-Foo'],
      'cors-doctor: --header "X-Foo" is not "Name: value" (e.g. --header "Content-Type: application/json")\nRun cors-doctor --help for usage.\n',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', origin, '--timeout', 'soon'],
      'cors-doctor: --timeout soon is not a positive whole number of milliseconds\nRun cors-doctor --help for usage.\n',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', origin, '--timeout', '3000000000'],
      'cors-doctor: --timeout 3000000000 is too long: give at most 2147483647 milliseconds\nRun cors-doctor --help for usage.\n',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', origin, '--page-address-space', 'home'],
      'cors-doctor: --page-address-space home: give public, local or loopback\nRun cors-doctor --help for usage.\n',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', 'localhost:5173'],
      'cors-doctor: "localhost:5173" is not an origin: write the scheme too, e.g. http://localhost:5173\n',
    ],
  ])('exits 2 on a usage error: %j', async (args, stderr) => {
    const result = await run(...args)
    expect(result).toEqual({ code: 2, stdout: '', stderr })
  })

  it("accepts curl's -X and -H", async () => {
    const result = await run(good, '--origin', origin, '-X', 'PUT', '-H', 'X-Foo: 1', '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).failure).toMatchObject({
      check: 'header-not-allowed',
      chromeError: 'HeaderDisallowedByPreflightResponse',
    })
  })

  it('diagnoses a preflight refused with 403 and no CORS headers as refused, not as a missing origin', async () => {
    const result = await run(good, '--origin', 'http://evil.localhost', '-X', 'DELETE')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'Blocked at the preflight: preflight-refused (DevTools: PreflightMissingAllowOriginHeader)\n',
    )
    expect(result.stdout).toContain("Fix: look at the server's reason for refusing it")
    expect(result.stdout).toContain(
      'the `onReject` hook receives the reason, and `debug: true` in development',
    )
  })

  it('names the missing OPTIONS route when the preflight gets 404', async () => {
    const result = await run(missing, '--origin', origin, '-X', 'PUT')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'Fix: the server has no OPTIONS route at this path (it answered 404): answer OPTIONS preflights with 204',
    )
  })

  it('prints the JSON object on a network failure too, with exit 2', async () => {
    const result = await run(closedPort, '--origin', origin, '--json')
    expect(result.code).toBe(2)
    const json = JSON.parse(result.stdout)
    expect(Object.keys(json)).toEqual([
      'verdict',
      'preflight',
      'response',
      'readableHeaders',
      'failure',
      'steps',
    ])
    expect(json).toMatchObject({
      verdict: 'error',
      failure: { stage: 'actual', check: 'network-error', chromeError: null },
    })
    expect(json.failure.message).toBe(
      `GET to ${closedPort} failed: the connection was refused: is the server running on that host and port?`,
    )
  })

  describe('explain', () => {
    const message = (url: string) =>
      `Access to fetch at '${url}' from origin '${origin}' has been blocked by CORS policy: Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.`

    it('names the check, the DevTools name and the fix from a console message, exit 1', async () => {
      const result = await run('explain', message(good))
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `Chromium's message, read: ${good} from ${origin}\n\nBlocked at the preflight: header-not-allowed (DevTools: HeaderDisallowedByPreflightResponse)\n`,
      )
      expect(result.stdout).toContain('Fix: list `x-foo` in `Access-Control-Allow-Headers`')
    })

    it('reads the message from stdin and prints the JSON keys with --json', async () => {
      const result = await runWith(message(good), 'explain', '--json')
      expect(result.code).toBe(1)
      const json = JSON.parse(result.stdout)
      expect(Object.keys(json)).toEqual([
        'verdict',
        'preflight',
        'response',
        'readableHeaders',
        'failure',
        'steps',
        'browserMessage',
      ])
      expect(json.failure).toMatchObject({ stage: 'preflight', check: 'header-not-allowed' })
      expect(json.browserMessage).toMatchObject({ browser: 'chromium', url: good, origin, header: 'x-foo' })
    })

    it('re-runs the request with --probe, taking the header from the message', async () => {
      const result = await run('explain', '--probe', '--json', message(good))
      expect(result.code).toBe(1)
      const json = JSON.parse(result.stdout)
      expect(json.preflight).toMatchObject({ status: 204 })
      expect(json.failure).toMatchObject({ check: 'header-not-allowed' })
    })

    it('finds with --probe what the message leaves out: the preflight was refused', async () => {
      const text = `Access to fetch at '${good}' from origin 'http://evil.localhost' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`
      const result = await run('explain', '--probe', '-X', 'PUT', text)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('Blocked at the preflight: preflight-refused')
    })

    it('asks for --origin to probe a Firefox message, which names none', async () => {
      const text = `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${good}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`
      const result = await run('explain', '--probe', text)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("the message does not name the page's origin: give --origin")
      const given = await run('explain', '--probe', '--origin', 'http://evil.localhost', text)
      expect(given.code).toBe(1)
      expect(given.stdout).toContain('Blocked at the actual request: allow-origin-missing')
    })

    it('exits 2 for text that names no check', async () => {
      const result = await run('explain', 'TypeError: Failed to fetch')
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/^cors-doctor: not a CORS message I know/)
    })
  })

  describe('--har', () => {
    const entry = (method: string, url: string, status: number, response: Record<string, string>) => ({
      request: { method, url, headers: [{ name: 'Origin', value: origin }] },
      response: { status, headers: Object.entries(response).map(([name, value]) => ({ name, value })) },
    })
    const file = join(tmpdir(), `cors-doctor-${process.pid}.har`)
    writeFileSync(
      file,
      JSON.stringify({
        log: {
          entries: [
            entry('GET', 'https://api.example.com/a', 200, { 'Access-Control-Allow-Origin': origin }),
            entry('GET', 'https://api.example.com/b', 200, {}),
          ],
        },
      }),
    )
    afterAll(() => rmSync(file, { force: true }))

    it('judges every request, groups the failures by cause and exits 1', async () => {
      const result = await run('--har', file)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        '2 cross-origin requests: 1 allowed, 1 blocked for CORS, 0 failed for another reason.\n\nBlocked, by cause:\n  1 request to api.example.com: allow-origin-missing\n',
      )
      expect(result.stdout).toContain('  BLOCKED GET https://api.example.com/b: allow-origin-missing')
    })

    it('prints { verdict, requests, groups } with --json', async () => {
      const result = await run('--har', file, '--json')
      const json = JSON.parse(result.stdout)
      expect(Object.keys(json)).toEqual(['verdict', 'requests', 'groups'])
      expect(Object.keys(json.requests[0])).toEqual(['url', 'method', 'verdict', 'failure', 'steps'])
      expect(Object.keys(json.groups[0])).toEqual(['check', 'count', 'hosts', 'fix'])
    })

    it('exits 2 for a file that is not a HAR', async () => {
      const result = await run('--har', cli)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('is not JSON: save it from DevTools with "Save all as HAR"')
    })
  })

  it('says before any CORS step that a public page needs permission to reach loopback', async () => {
    const result = await run(good, '--origin', 'https://app.example.com')
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'Blocked before any CORS step: local-network-access (DevTools: LocalNetworkAccessPermissionDenied)\n',
    )
    const stated = await run(good, '--origin', 'https://app.example.com', '--page-address-space', 'loopback')
    expect(stated.stdout).toContain(
      '1. ok   [before-cors] the page is in the loopback address space, as stated',
    )
    expect(stated.stdout).toContain('Blocked at the actual request: allow-origin-missing')
  })

  describe('check', () => {
    const file = join(tmpdir(), `cors-doctor-${process.pid}-expectations.json`)
    const write = (requests: unknown[]) => writeFileSync(file, JSON.stringify({ requests }))
    afterAll(() => rmSync(file, { force: true }))

    it('exits 0 when every request gets its expected verdict', async () => {
      write([
        { url: good, origin, method: 'PUT', expect: 'allowed' },
        { url: good, origin: 'http://evil.localhost', credentials: true, expect: 'blocked' },
      ])
      const result = await run('check', file)
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(
        `ok   allowed PUT ${good} from ${origin} (expected allowed)\nok   blocked GET ${good} from http://evil.localhost with credentials (expected blocked)\n\n2 of 2 requests got the expected verdict.\n`,
      )
    })

    it('exits 1 with the explanation when a partner would break', async () => {
      write([{ url: good, origin, headers: { 'X-Foo': '1' }, expect: 'allowed' }])
      const result = await run('check', file)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        `FAIL blocked GET ${good} from ${origin} (expected allowed)\n     at the preflight: header-not-allowed (DevTools: HeaderDisallowedByPreflightResponse): the page sends \`x-foo\``,
      )
      const json = JSON.parse((await run('check', file, '--json')).stdout)
      expect(Object.keys(json)).toEqual(['verdict', 'results'])
      expect(Object.keys(json.results[0])).toEqual(['request', 'expect', 'got', 'ok'])
      expect(json).toMatchObject({ verdict: 'unexpected', results: [{ expect: 'allowed', ok: false }] })
    })

    it('exits 2 after printing every result when one could not be judged', async () => {
      write([
        { url: closedPort, origin, expect: 'allowed' },
        { url: good, origin, expect: 'allowed' },
      ])
      const result = await run('check', file)
      expect(result.code).toBe(2)
      expect(result.stdout).toContain(`FAIL error   GET ${closedPort}`)
      expect(result.stdout).toContain('1 of 2 requests got the expected verdict.')
    })

    it('exits 2 for a malformed file', async () => {
      write([{ url: good, origin, expect: 'maybe' }])
      const result = await run('check', file)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('requests[0]: "expect" must be "allowed" or "blocked"')
    })
  })

  it('exits 2 for an unknown option', async () => {
    const result = await run(good, '--origin', origin, '--nope')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^cors-doctor: Unknown option '--nope'/)
  })

  it('exits 2 when the host is unreachable', async () => {
    const result = await run(closedPort, '--origin', origin)
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `cors-doctor: GET to ${closedPort} failed: the connection was refused: is the server running on that host and port?\n`,
    })
  })

  it('exits 2 on a timeout', async () => {
    const started = Date.now()
    const result = await run(silent, '--origin', origin, '--timeout', '300')
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `cors-doctor: GET to ${silent} got no answer within 300 ms (use --timeout to wait longer)\n`,
    })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('prints the help and exits 0', async () => {
    const result = await run('--help')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^cors-doctor <url> --origin <origin> \[-X M\]/)
  })
})
