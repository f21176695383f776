import { describe, expect, it } from 'vitest'
import { checkBeforeCors, spaceOfHost, spaceOfIp } from './address-space.ts'
import { diagnose } from './diagnose.ts'

const resolves =
  (table: Record<string, string[]>) =>
  async (host: string): Promise<readonly string[]> => {
    const addresses = table[host]
    if (addresses === undefined) throw new Error(`ENOTFOUND ${host}`)
    return addresses
  }

describe('address spaces', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.1', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'local'],
    ['172.16.0.1', 'local'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'local'],
    ['169.254.169.254', 'local'],
    ['100.64.0.1', 'local'],
    ['fd00::1', 'local'],
    ['fe80::1', 'local'],
    ['::ffff:192.168.0.1', 'local'],
    ['8.8.8.8', 'public'],
    ['2001:db8::1', 'public'],
  ])('%s is %s', (address, space) => {
    expect(spaceOfIp(address)).toBe(space)
  })

  it.each([
    ['localhost', 'loopback'],
    ['app.localhost', 'loopback'],
    ['printer.local', 'local'],
    ['api.internal', 'local'],
    ['app.test', 'local'],
    ['router.home.arpa', 'local'],
    ['nas.example.com', 'local'],
    ['app.example.com', 'public'],
    ['unknown.example', 'public'],
  ])('the host %s is %s', async (host, space) => {
    const lookup = resolves({ 'nas.example.com': ['192.168.1.20'], 'app.example.com': ['93.184.215.14'] })
    expect(await spaceOfHost(host, lookup)).toBe(space)
  })
})

describe('the checks before CORS', () => {
  const lookup = resolves({ 'app.example.com': ['93.184.215.14'], 'api.example.com': ['93.184.215.15'] })

  it('blocks a public page calling a loopback or private address (Local Network Access)', async () => {
    const [result] = await checkBeforeCors({
      origin: 'https://app.example.com',
      url: 'http://192.168.1.1/admin',
      pageSpace: undefined,
      lookup,
    })
    expect(result).toMatchObject({ check: 'local-network-access', ok: false })
    expect(result?.message).toBe(
      'the page (https://app.example.com) is in the public address space and 192.168.1.1 is a private (local network) address: Chrome (142+) blocks the request until the user allows it (Local Network Access), before any CORS step',
    )
    expect(result?.fix).toContain('Access-Control-Allow-Private-Network no longer helps')
    expect(result?.fix).toContain("targetAddressSpace: 'local'")
  })

  it('lets a page stated local reach a private address, and a loopback page anything', async () => {
    const local = { origin: 'https://app.example.com', url: 'http://10.0.0.2/', lookup }
    expect(await checkBeforeCors({ ...local, pageSpace: 'local' })).toMatchObject([
      { check: 'page-address-space', ok: true },
    ])
    const loopback = { origin: 'http://localhost:5173', url: 'http://127.0.0.1:3000/', lookup }
    expect(await checkBeforeCors({ ...loopback, pageSpace: undefined })).toEqual([])
  })

  it('blocks an https page calling http (mixed content), but not http to loopback', async () => {
    const page = { origin: 'https://app.example.com', pageSpace: undefined, lookup }
    expect(await checkBeforeCors({ ...page, url: 'http://api.example.com/todos' })).toMatchObject([
      { check: 'mixed-content', ok: false },
    ])
    expect(await checkBeforeCors({ ...page, url: 'https://api.example.com/todos' })).toEqual([])
    const fromLocal = { ...page, pageSpace: 'loopback' as const }
    expect(await checkBeforeCors({ ...fromLocal, url: 'http://localhost:3000/' })).toMatchObject([
      { check: 'page-address-space', ok: true },
    ])
  })

  it('diagnose() stops before any request, with the before-cors stage', async () => {
    const fake = (async () => {
      throw new Error('no request may be sent')
    }) as typeof fetch
    const diagnosis = await diagnose(
      'http://api.example.com/todos',
      { origin: 'https://app.example.com' },
      { fetch: fake, lookup },
    )
    expect(diagnosis).toMatchObject({
      verdict: 'blocked',
      preflight: null,
      response: null,
      failure: { stage: 'before-cors', check: 'mixed-content', chromeError: null },
      steps: [{ stage: 'before-cors', check: 'mixed-content', ok: false }],
    })
    const lna = await diagnose(
      'http://127.0.0.1:9/',
      { origin: 'https://app.example.com' },
      { fetch: fake, lookup },
    )
    expect(lna.failure).toMatchObject({
      check: 'local-network-access',
      chromeError: 'LocalNetworkAccessPermissionDenied',
    })
  })
})
