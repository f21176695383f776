import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { cp, mkdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The two real Next.js apps the tests build once and serve with `next start`: this example (Next 16,
// proxy.ts) and next15/ (Next 15, middleware.ts). Next 15 comes from the `next15` npm alias; its own
// code requires `next/...`, so it must sit at a node_modules/next path of its own: next15/node_modules
// gets a hard-linked copy (no disk space, no download).

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

export interface NextApp {
  readonly name: 'next16' | 'next15'
  readonly dir: string
  readonly bin: string
  /** Sources whose change makes the last build stale. */
  readonly sources: readonly string[]
}

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))
const next15Dir = join(root, 'next15')
const corsNextDist = join(packageDir('@cors/next'), 'dist')

export const apps: Readonly<Record<NextApp['name'], NextApp>> = {
  next16: {
    name: 'next16',
    dir: root,
    bin: join(packageDir('next'), 'dist/bin/next'),
    sources: ['app', 'lib', 'proxy.ts', 'instrumentation.ts', 'next.config.ts', 'package.json'].map((p) =>
      join(root, p),
    ),
  },
  next15: {
    name: 'next15',
    dir: next15Dir,
    bin: join(next15Dir, 'node_modules/next/dist/bin/next'),
    sources: ['app', 'middleware.ts', 'instrumentation.ts', 'next.config.ts'].map((p) => join(next15Dir, p)),
  },
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))))
}

/** Puts Next 15 where its own `require('next/...')` finds itself. */
async function linkNext15(): Promise<void> {
  const target = join(next15Dir, 'node_modules/next')
  const source = packageDir('next15')
  const version = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  if (existsSync(join(target, 'package.json')) && version(target) === version(source)) return
  await rm(target, { recursive: true, force: true })
  await mkdir(dirname(target), { recursive: true })
  // Hard links where the file system allows them (instant, no space); a plain copy elsewhere.
  try {
    execFileSync('cp', ['-al', source, target])
  } catch {
    await cp(source, target, { recursive: true, verbatimSymlinks: true })
  }
}

function run(app: NextApp, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [app.bin, ...args], { cwd: app.dir, env, stdio: 'inherit' })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next ${args.join(' ')} (${app.name}) exited ${code}`)),
    )
  })
}

/**
 * Runs `next build` unless the last build is newer than the app's sources and @cors/next's dist.
 * Returns the seconds it took (0 when the build was fresh).
 */
export async function build(app: NextApp): Promise<number> {
  if (app.name === 'next15') await linkNext15()
  const built = newest(join(app.dir, '.next/BUILD_ID'))
  if (built > Math.max(...app.sources.map(newest), newest(corsNextDist))) return 0
  const started = performance.now()
  await run(app, ['build'])
  return (performance.now() - started) / 1000
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface Started {
  readonly port: number
  stop(): Promise<void>
}

/**
 * `next start` on a free loopback port; resolves once it answers. The hostname is `localhost`, not
 * `127.0.0.1`: Next 16.5 and 15.5 compare a proxy rewrite's URL (which names loopback `localhost`)
 * with the hostname they were started on, and send a rewrite that differs through their HTTP proxy
 * back to themselves (vercel/next.js#94745), which failed now and then with ECONNRESET. Resolving
 * `localhost` IPv4-first keeps the socket on 127.0.0.1, where the tests and Chromium connect.
 */
export async function start(app: NextApp): Promise<Started> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [app.bin, 'start', '--hostname', 'localhost', '--port', String(port)],
    {
      cwd: app.dir,
      env: {
        ...env,
        NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --dns-result-order=ipv4first`.trim(),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`next start (${app.name}) exited ${code}`))),
  )
  exited.catch(() => {}) // after start-up, an exit is stop() at work
  for (let tries = 0; ; tries++) {
    const up = await Promise.race([
      fetch(`http://127.0.0.1:${port}/api/ready`).then(
        () => true,
        () => false,
      ),
      exited,
    ])
    if (up) break
    if (tries > 300) throw new Error(`next start (${app.name}) did not answer on port ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
