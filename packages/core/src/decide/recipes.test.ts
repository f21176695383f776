import { describe, expect, it } from 'vitest'
import { CorsConfigError } from '../config/errors.ts'
import type { CorsDecision, CorsRequest } from '../decision.ts'
import { createCors } from './policy.ts'

// The README's recipes, run as written (section "Recipes" of packages/core/README.md).

const get = (origin: string): CorsRequest => ({
  method: 'GET',
  origin,
  accessControlRequestMethod: null,
  accessControlRequestHeaders: null,
})
const allowed = async (decision: CorsDecision | Promise<CorsDecision>) => (await decision).allowed

describe('recipes', () => {
  it('allows localhost in development only', async () => {
    const policyFor = (env: string | undefined) =>
      createCors({
        origin:
          env === 'production'
            ? ['https://app.example.com']
            : ['https://app.example.com', 'http://localhost:*', 'http://127.0.0.1:*'],
      })
    expect(await allowed(policyFor('development').decide(get('http://localhost:5173')))).toBe(true)
    expect(await allowed(policyFor('production').decide(get('http://localhost:5173')))).toBe(false)
    expect(await allowed(policyFor('production').decide(get('https://app.example.com')))).toBe(true)
  })

  it('reads origins from an environment variable: split, trimmed, a trailing slash refused with a fix', async () => {
    const fromEnv = (value: string | undefined) =>
      createCors({
        origin: (value ?? '')
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
        credentials: true,
      })
    const policy = fromEnv(' https://app.example.com , https://admin.example.com ')
    expect(await allowed(policy.decide(get('https://admin.example.com')))).toBe(true)
    expect(() => fromEnv('https://app.example.com/')).toThrow(
      /trailing slash.*use "https:\/\/app\.example\.com"/s,
    )
    // Unset: an empty list is refused rather than silently allowing every origin.
    expect(() => fromEnv(undefined)).toThrow(CorsConfigError)
  })

  it('checks origins in a database, cached for a minute', async () => {
    let queries = 0
    const db = {
      async allowedOrigins(): Promise<string[]> {
        queries++
        return ['https://tenant-a.example']
      },
    }
    let cache: { origins: Set<string>; until: number } | undefined
    const policy = createCors({
      origin: async (origin) => {
        if (cache === undefined || cache.until < Date.now())
          cache = { origins: new Set(await db.allowedOrigins()), until: Date.now() + 60_000 }
        return cache.origins.has(origin)
      },
    })
    expect(await allowed(policy.decide(get('https://tenant-a.example')))).toBe(true)
    expect(await allowed(policy.decide(get('https://tenant-b.example')))).toBe(false)
    expect(queries).toBe(1)
  })

  it('sends cookies: listed origins and credentials, never "*"', async () => {
    const policy = createCors({ origin: ['https://app.example.com'], credentials: true })
    const decision = await policy.decide(get('https://app.example.com'))
    expect(decision.headers['access-control-allow-credentials']).toBe('true')
    expect(decision.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(() => createCors({ origin: '*', credentials: true } as never)).toThrow(/credentials/)
  })
})
