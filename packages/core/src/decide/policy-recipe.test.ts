import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CorsOptions, CorsShadowDifference } from '../config/options.ts'
import { type CorsDecision, toCorsRequest } from '../decision.ts'
import { type CorsPolicy, createCors } from './policy.ts'

// The README recipe "Allow-lists kept in a database or a config service" (Changing a policy in
// production), verbatim, and its tests.

/**
 * Keeps `policy` in step with options stored elsewhere: `refresh()` loads them and updates the
 * policy (a failed load or invalid options leave the current policy answering and go to `onError`);
 * it runs every `every` milliseconds, and can be called on a change notification. One load at a time.
 */
function keepUpdated(
  policy: CorsPolicy,
  load: () => Promise<CorsOptions>,
  { every, onError }: { every: number; onError: (error: unknown) => void },
) {
  let running: Promise<void> | undefined
  const refresh = (): Promise<void> =>
    (running ??= load()
      .then((options) => policy.update(options))
      .catch(onError)
      .finally(() => {
        running = undefined
      }))
  const timer = setInterval(refresh, every)
  return { refresh, stop: () => clearInterval(timer) }
}

// A table of allowed origins, as a database would hold it.
const table = { rows: ['https://app.example.com'] }
const load = vi.fn(
  async (): Promise<CorsOptions> => ({ origin: [...table.rows], credentials: true, maxAge: 600 }),
)
const from = (origin: string) => toCorsRequest('GET', (name) => (name === 'origin' ? origin : null))
const allows = (policy: CorsPolicy, origin: string) => (policy.decide(from(origin)) as CorsDecision).allowed

describe('recipe: allow-lists kept in a database', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    table.rows = ['https://app.example.com']
    load.mockClear()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('loads once at start-up, then picks up changes on the timer without a restart', async () => {
    const policy = createCors(await load())
    const sync = keepUpdated(policy, load, { every: 60_000, onError: () => {} })
    table.rows.push('https://admin.example.com')
    expect(allows(policy, 'https://admin.example.com')).toBe(false)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(allows(policy, 'https://admin.example.com')).toBe(true)
    sync.stop()
  })

  it('refreshes at once on a change notification, one load at a time', async () => {
    const policy = createCors(await load())
    const sync = keepUpdated(policy, load, { every: 60_000, onError: () => {} })
    table.rows = ['https://new.example.com']
    await Promise.all([sync.refresh(), sync.refresh(), sync.refresh()])
    expect(load).toHaveBeenCalledTimes(2)
    expect(allows(policy, 'https://new.example.com')).toBe(true)
    expect(allows(policy, 'https://app.example.com')).toBe(false)
    sync.stop()
  })

  it('keeps the current policy when the store is down or holds an invalid origin', async () => {
    const policy = createCors(await load())
    const onError = vi.fn()
    const sync = keepUpdated(policy, load, { every: 60_000, onError })
    load.mockRejectedValueOnce(new Error('connection refused'))
    await sync.refresh()
    table.rows = ['https://app.example.com/'] // a trailing slash: not an origin
    await sync.refresh()
    expect(onError).toHaveBeenCalledTimes(2)
    expect(onError.mock.calls[1]![0]).toMatchObject({ name: 'CorsConfigError' })
    expect(allows(policy, 'https://app.example.com')).toBe(true)
    sync.stop()
  })

  // Issue 19.4 and 18.8: the refresh's update(load()) names no shadow, which used to drop it silently
  // (and reset its counts): the reports stopped and silence read as "clean".
  it('keeps a shadow set beside it (step 1, report first) across the refreshes, with real counts', async () => {
    const policy = createCors(await load())
    const sync = keepUpdated(policy, load, { every: 60_000, onError: () => {} })
    const reports: CorsShadowDifference[] = []
    policy.update({
      ...(await load()),
      shadow: { origin: ['https://admin.example.com'], credentials: true, maxAge: 600 },
      onShadow: (difference) => reports.push(difference),
    })
    for (let minute = 0; minute < 5; minute++) {
      for (let i = 0; i < 60; i++) policy.decide(from('https://app.example.com'))
      await vi.advanceTimersByTimeAsync(60_000)
    }
    policy.decide(from('https://app.example.com'))
    expect(load).toHaveBeenCalledTimes(7)
    expect(reports.map((d) => d.count)).toEqual([1, 60, 60, 60, 60, 60])
    expect(reports.reduce((sum, d) => sum + d.count, 0)).toBe(301)
    sync.stop()
  })

  it('reads an allow-list from the environment the same way', () => {
    const env = { CORS_ORIGINS: 'https://app.example.com, https://admin.example.com' }
    const fromEnv = (): CorsOptions => ({
      origin: env.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
    })
    const policy = createCors(fromEnv())
    env.CORS_ORIGINS = 'https://admin.example.com'
    policy.update(fromEnv()) // e.g. on SIGHUP
    expect(allows(policy, 'https://app.example.com')).toBe(false)
    expect(allows(policy, 'https://admin.example.com')).toBe(true)
  })
})
