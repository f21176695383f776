import { describe, expect, it, vi } from 'vitest'
import { CorsConfigError, createCors, websocketGuard } from './index.ts'
import { exchange, handshake } from './test-client.ts'
import { wsNoServer, wsVerifyClient } from './test-servers.ts'

const app = 'https://app.example.com'
const upgradeRequest = (headers: Record<string, string>) =>
  new Request('http://api.example.com/ws', { headers: { upgrade: 'websocket', ...headers } })

describe('websocketGuard', () => {
  it("refuses '*', true and invalid options at construction", () => {
    expect(() => websocketGuard({})).toThrow(CorsConfigError)
    expect(() => websocketGuard({ origin: true })).toThrow(/nothing to check/)
    expect(() => websocketGuard({ origin: 'app.example.com' })).toThrow(CorsConfigError)
    expect(() => websocketGuard({ origin: [app] }, { requireOrigin: 'yes' as never })).toThrow(
      CorsConfigError,
    )
  })

  it('check(request): a 403 Response for a refused handshake, undefined otherwise', async () => {
    const guard = websocketGuard({ origin: [app] })
    expect(guard.check(upgradeRequest({ origin: app }))).toBeUndefined()
    expect(guard.check(upgradeRequest({}))).toBeUndefined()
    expect(guard.check(upgradeRequest({ origin: 'http://api.example.com' }))).toBeUndefined()
    const refusal = guard.check(upgradeRequest({ origin: 'https://evil.example' })) as Response
    expect(refusal.status).toBe(403)
    expect(await refusal.text()).toBe('Forbidden')
    expect(refusal.headers.get('access-control-allow-origin')).toBeNull()
    expect(guard.crossws(upgradeRequest({ origin: 'null' }))).toBeInstanceOf(Response)
  })

  it('check(request) is a promise only with an async origin function, and gets the request as context', async () => {
    const seen: unknown[] = []
    const guard = websocketGuard({
      origin: async (origin, request) => {
        seen.push(request)
        return origin === app
      },
    })
    const request = upgradeRequest({ origin: app })
    const verdict = guard.check(request)
    expect(verdict).toBeInstanceOf(Promise)
    expect(await verdict).toBeUndefined()
    expect(seen).toEqual([request])
    expect(((await guard.check(upgradeRequest({ origin: 'https://evil.example' }))) as Response).status).toBe(
      403,
    )
  })

  it('requireOrigin: a handshake without Origin is refused too', () => {
    const guard = websocketGuard({ origin: [app] }, { requireOrigin: true })
    expect((guard.check(upgradeRequest({})) as Response).status).toBe(403)
  })

  it('a policy updated to "*" refuses every cross-origin handshake and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const policy = createCors({ origin: [app] })
    const guard = websocketGuard(policy)
    policy.update({ origin: '*' })
    expect((guard.check(upgradeRequest({ origin: app })) as Response).status).toBe(403)
    expect((guard.check(upgradeRequest({ origin: app })) as Response).status).toBe(403)
    expect(guard.check(upgradeRequest({ origin: 'http://api.example.com' }))).toBeUndefined()
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
  })

  it('ws verifyClient and noServer upgrade with an async origin function (real servers)', async () => {
    const calls: string[] = []
    const policy = createCors({
      origin: async (origin: string) => {
        calls.push(origin)
        await new Promise((resolve) => setTimeout(resolve, 5))
        return origin === app
      },
    })
    for (const start of [wsVerifyClient, wsNoServer]) {
      const server = await start(policy)
      try {
        expect(await exchange(server, app)).toBe('echo:ping')
        expect(await handshake(server, { origin: 'https://evil.example' })).toBe(403)
        expect(server.opened()).toBe(1)
      } finally {
        await server.close()
      }
    }
    expect(calls).toEqual([app, 'https://evil.example', app, 'https://evil.example'])
  })

  it('an origin function that throws refuses the handshake (fail closed)', async () => {
    const policy = createCors({
      origin: () => {
        throw new Error('allow-list store down')
      },
    })
    const server = await wsVerifyClient(policy)
    try {
      expect(await handshake(server, { origin: app })).toBe(403)
      expect(server.opened()).toBe(0)
    } finally {
      await server.close()
    }
  })
})
