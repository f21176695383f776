/** One handshake of each kind to a running variant, checked against the status it must answer. */
import type { Finding } from '../policy.ts'
import { handshake, handshakeRequest } from './client.ts'
import { checkHandshake, type HandshakeKind, type HandshakeVariant, handshakeKinds } from './policy.ts'

export type HandshakeChecks = Record<HandshakeKind, { status: number; findings: Finding[] }>

export async function verifyHandshakes(port: number, variant: HandshakeVariant): Promise<HandshakeChecks> {
  const result = {} as HandshakeChecks
  for (const kind of handshakeKinds) {
    const status = await handshake(port, handshakeRequest(port, kind))
    result[kind] = { status, findings: checkHandshake(variant, kind, status) }
  }
  return result
}
