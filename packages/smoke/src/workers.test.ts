import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { rolldown } from 'rolldown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exercise } from '../fixtures/exercise.mjs'
import { expected } from './expected.ts'

// Cloudflare Workers: the worker in fixtures/worker.mjs (@cors/fetch and @cors/hono) is bundled as
// wrangler would, and served by workerd, the open-source Workers runtime from the npm registry, on
// loopback. Every answer must match the other runtimes'.
const here = import.meta.dirname
const workerd = resolve(here, '../../../node_modules/.bin/workerd')

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

let dir = ''
let child: ChildProcess | undefined
let base = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cors-workerd-'))
  const bundle = await rolldown({
    input: resolve(here, '../fixtures/worker.mjs'),
    platform: 'neutral',
    cwd: resolve(here, '..'),
  })
  await bundle.write({ file: join(dir, 'worker.mjs'), format: 'esm' })
  const port = await freePort()
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2024-09-23",
);
`,
  )
  child = spawn(workerd, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  base = `http://127.0.0.1:${port}`
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(base)
      return
    } catch (error) {
      if (attempt === 100 || child.exitCode !== null)
        throw new Error(`workerd did not start: ${stderr}`, { cause: error })
      await new Promise((wait) => setTimeout(wait, 100))
    }
  }
}, 60_000)

afterAll(() => {
  child?.kill()
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe('Cloudflare Workers (workerd)', () => {
  it('@cors/fetch answers as on every other runtime, with env and ctx passed through', async () => {
    const result = await exercise(`${base}/data`)
    expect(result).toEqual(expected('from fetch (waitUntil: function)'))
  })

  it('@cors/hono answers as on every other runtime', async () => {
    expect(await exercise(`${base}/hono/data`)).toEqual(expected('from hono'))
  })
})
