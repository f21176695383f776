import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Listening } from '../frameworks/types.ts'
import type { Sample } from '../summary.ts'
import { loadHandshakes } from './client.ts'
import { expectedStatus, type HandshakeVariant, handshakeKinds, handshakeVariants } from './policy.ts'
import { handshakeMarkdown } from './report.ts'
import type { HandshakeResult } from './run.ts'
import { handshakeServers } from './servers.ts'
import { verifyHandshakes } from './verify.ts'

// The real ws servers of every variant, in this process: the check before timing, against each.
const servers = new Map<HandshakeVariant, Listening>()
beforeAll(async () => {
  for (const variant of handshakeVariants) servers.set(variant, await handshakeServers[variant](0))
})
afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()))
})

describe.each(handshakeVariants)('the %s ws server', (variant) => {
  it('answers every handshake kind as the policy says, so the check lets it be timed', async () => {
    const checked = await verifyHandshakes(servers.get(variant)!.port, variant)
    for (const kind of handshakeKinds) {
      expect(checked[kind].findings, kind).toEqual([])
      expect(checked[kind].status, kind).toBe(expectedStatus(variant, kind))
    }
    // What that means, written out: only a checking variant refuses, and only the disallowed origin.
    expect(checked.allowed.status).toBe(101)
    expect(checked['no-origin'].status).toBe(101)
    expect(checked.disallowed.status).toBe(variant === 'none' ? 101 : 403)
  })
})

describe('the check before timing', () => {
  it('flags a server that does not refuse a disallowed origin as ours must', async () => {
    // The baseline's server, checked as if it were ours: it upgrades everything.
    const checked = await verifyHandshakes(servers.get('none')!.port, 'ours')
    expect(checked.disallowed.findings).toEqual([
      { severity: 'error', message: 'disallowed origin: answered 101, not 403' },
    ])
    expect(checked.allowed.findings).toEqual([])
  })
})

describe('the handshake client', () => {
  it('counts only handshakes answered with the expected status', async () => {
    const port = servers.get('ours')!.port
    // Disallowed handshakes, which ours refuses with 403: counted when 403 is expected, errors otherwise.
    const load = (expected: number) =>
      loadHandshakes({ port, kind: 'disallowed', milliseconds: 100, connections: 2, expected })
    const refused = await load(403)
    expect(refused.handshakes).toBeGreaterThan(0)
    expect(refused.errors).toBe(0)
    expect(refused.clientCpu).toBeGreaterThan(0)
    const wrong = await load(101)
    expect(wrong.handshakes).toBe(0)
    expect(wrong.errors).toBeGreaterThan(0)
  })
})

describe('the handshake report', () => {
  // Two repetitions of one round each; ours costs 10% more CPU than the hand-written minimum in both.
  const cpu: Record<HandshakeVariant, number> = { none: 40, 'hand-written': 50, ours: 55 }
  const samples: Sample<'ws'>[] = [0, 1].flatMap((rep) =>
    handshakeVariants.flatMap((variant) =>
      handshakeKinds.map((kind) => ({
        framework: 'ws' as const,
        variant,
        kind,
        rep,
        window: 0,
        requests: 1000,
        requestsPerSecond: 1e6 / cpu[variant],
        p99: 4,
        cpuPerRequest: cpu[variant] + rep,
        busy: 0.95,
        disturbed: false,
        errors: 0,
      })),
    ),
  )
  const checks: HandshakeResult['checks'] = new Map(
    handshakeVariants.flatMap((variant) =>
      handshakeKinds.map((kind) => [
        `${variant}/${kind}`,
        { status: expectedStatus(variant, kind), findings: [] },
      ]),
    ),
  )
  const report = handshakeMarkdown({ samples, checks, connections: 32, clientCpu: [] }, [
    ['packages', 'ws 8.23.1'],
  ])
  const lines = report.split('\n')

  it('has a row per kind and variant, the peer written "—"', () => {
    expect(lines[0]).toBe('## WebSocket handshakes (@cors/websocket)')
    expect(report).toContain('- packages: ws 8.23.1')
    expect(lines).toContain(
      '| allowed origin | hand-written | 101 | 20000 | 4.00 | 50.5 | ±1.0% | 95% | ok |',
    )
    expect(lines).toContain('| disallowed origin | ours | 403 | 18182 | 4.00 | 55.5 | ±0.9% | 95% | ok |')
    expect(lines).toContain('| no Origin | no origin check | 101 | 25000 | 4.00 | 40.5 | ±1.2% | 95% | ok |')
    expect(lines).toContain('| disallowed origin | peer | — | — | — | — | — | — | none exists for ws |')
    expect(
      lines.filter((line) => / \| (no origin check|hand-written|peer|ours) \| /.test(line)),
    ).toHaveLength(12)
  })

  it('compares ours with the hand-written minimum, paired, with quartiles', () => {
    // Rounds: 55/50 = 1.10 and 56/51 = 1.098; requests/s 50/55 in both.
    expect(lines).toContain('| allowed origin | 0.91 (0.91–0.91) | 1.10 (1.10–1.10) | OVER 3% |')
  })

  it('shows a flagged variant as not timed', () => {
    const flagged = new Map(checks)
    flagged.set('ours/disallowed', {
      status: 101,
      findings: [{ severity: 'error', message: 'disallowed origin: answered 101, not 403' }],
    })
    const text = handshakeMarkdown(
      {
        samples: samples.filter((s) => !(s.variant === 'ours' && s.kind === 'disallowed')),
        checks: flagged,
        connections: 32,
        clientCpu: [],
      },
      [],
    )
    expect(text).toContain(
      '| disallowed origin | ours | 101 | — | — | — | — | — | FLAGGED: disallowed origin: answered 101, not 403 |',
    )
    expect(text).toContain('| disallowed origin | — | — | n/a |')
  })
})
