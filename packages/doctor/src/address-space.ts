import { isIP } from 'node:net'
import { type CheckResult, fail, pass } from './result.ts'

/** Where an address lives, from the most public to the most private. */
export type AddressSpace = 'public' | 'local' | 'loopback'

/** Resolves a host name to its addresses (default: the system resolver). */
export type Lookup = (host: string) => Promise<readonly string[]>

const rank: Record<AddressSpace, number> = { public: 0, local: 1, loopback: 2 }

const v4 = (address: string): number[] => address.split('.').map(Number)

/** The address space of an IP address. @see https://wicg.github.io/local-network-access/ */
export function spaceOfIp(address: string): AddressSpace {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1]
  if (mapped !== undefined) return spaceOfIp(mapped)
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = v4(ip)
    if (a === 127 || a === 0) return 'loopback'
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'local'
    if ((a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return 'local'
    return 'public'
  }
  if (ip === '::1' || ip === '::') return 'loopback'
  if (/^f[cd]/.test(ip) || /^fe[89ab]/.test(ip)) return 'local'
  return 'public'
}

const special = /(^|\.)(test|local|internal|home\.arpa)$/

/**
 * The address space of a host: its IP literal, `localhost` and `*.localhost` (loopback), the
 * special-use names (`.test`, `.local`, `.internal`, `.home.arpa`: local), else what it resolves to;
 * public when it does not resolve.
 */
export async function spaceOfHost(host: string, lookup: Lookup): Promise<AddressSpace> {
  const name = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '')
  if (isIP(name) !== 0) return spaceOfIp(name)
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback'
  if (special.test(name)) return 'local'
  const addresses = await lookup(name).catch(() => [] as readonly string[])
  return addresses
    .map(spaceOfIp)
    .reduce<AddressSpace>((most, space) => (rank[space] > rank[most] ? space : most), 'public')
}

/** Whether a URL is potentially trustworthy for mixed content: https, or http to loopback. */
function trustworthy(url: URL): boolean {
  if (url.protocol === 'https:') return true
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    (isIP(host) !== 0 && spaceOfIp(host) === 'loopback')
  )
}

/** What decides the checks before CORS. */
export interface BeforeCors {
  readonly origin: string
  readonly url: string
  /** As stated (`--page-address-space`), else from the page's host. */
  readonly pageSpace: AddressSpace | undefined
  readonly lookup: Lookup
}

/**
 * The checks a browser makes before any CORS step: Local Network Access (Chrome 142+: a page may
 * reach a more private address space only with the user's permission) and mixed content (an
 * https: page never calls an http: URL that is not potentially trustworthy). Only the checks that
 * apply are returned.
 */
export async function checkBeforeCors(input: BeforeCors): Promise<CheckResult[]> {
  const target = new URL(input.url)
  const page = new URL(input.origin)
  const targetSpace = await spaceOfHost(target.hostname, input.lookup)
  if (targetSpace !== 'public') {
    const pageSpace = input.pageSpace ?? (await spaceOfHost(page.hostname, input.lookup))
    if (rank[pageSpace] < rank[targetSpace])
      return [localNetworkAccess(input.origin, pageSpace, target, targetSpace)]
    if (input.pageSpace !== undefined) {
      return [
        pass(
          'page-address-space',
          `the page is in the ${pageSpace} address space, as stated: no permission is needed to reach ${target.host} (${targetSpace})`,
        ),
      ]
    }
  }
  if (page.protocol === 'https:' && !trustworthy(target)) {
    return [
      fail(
        'mixed-content',
        `the page is on https: and the request goes to ${target.href}, an insecure http: URL: the browser blocks it (mixed content) before any CORS step`,
        'serve the API over https: (TLS); from an https: page only http://localhost and loopback addresses may be called over http:',
      ),
    ]
  }
  return []
}

function localNetworkAccess(
  origin: string,
  pageSpace: AddressSpace,
  target: URL,
  space: AddressSpace,
): CheckResult {
  const where =
    space === 'loopback' ? 'a loopback address (this machine)' : 'a private (local network) address'
  return fail(
    'local-network-access',
    `the page (${origin}) is in the ${pageSpace} address space and ${target.host} is ${where}: Chrome (142+) blocks the request until the user allows it (Local Network Access), before any CORS step`,
    `no server header can allow it (Access-Control-Allow-Private-Network no longer helps). The page must be a secure context (https:), the user must accept Chrome's prompt to reach local network devices, and fetch() may state \`targetAddressSpace: '${space === 'loopback' ? 'loopback' : 'local'}'\` (which also lets an https: page call http: there); an iframe needs \`allow="local-network-access"\`; WebSocket connections need the same permission. To see the CORS steps as if permission were given: --page-address-space ${space}`,
  )
}
