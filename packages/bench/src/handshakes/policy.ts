/**
 * The WebSocket handshakes the bench sends, and what each variant must answer to them. The policy is
 * the HTTP part's (policy.ts): its five allowed origins, its allowed and disallowed origin.
 */
import type { Variant } from '../frameworks/types.ts'
import { allowedOrigin, disallowedOrigin, type Finding, type Kind } from '../policy.ts'

/** The HTTP request kinds a handshake can be: every kind but the preflight (browsers send none). */
export type HandshakeKind = Extract<Kind, 'allowed' | 'disallowed' | 'no-origin'>
export const handshakeKinds: readonly HandshakeKind[] = ['allowed', 'disallowed', 'no-origin']
export const handshakeLabels: Record<HandshakeKind, string> = {
  allowed: 'allowed origin',
  disallowed: 'disallowed origin',
  'no-origin': 'no Origin',
}

/** The `Origin` each kind sends (none for `no-origin`). */
export const handshakeOrigins: Record<HandshakeKind, string | undefined> = {
  allowed: allowedOrigin,
  disallowed: disallowedOrigin,
  'no-origin': undefined,
}

/** No CORS/origin plugin for `ws` exists: there is no peer, and the report says so ("—"). */
export const handshakeVariants = ['none', 'hand-written', 'ours'] as const satisfies readonly Variant[]
export type HandshakeVariant = (typeof handshakeVariants)[number]

/**
 * The status a variant must answer: `101 Switching Protocols`, or `403` for a disallowed origin. A
 * handshake without `Origin` is not a browser's and passes (@cors/websocket's README, "What is
 * refused"; `requireOrigin` is off). The baseline checks nothing and upgrades everything.
 */
export function expectedStatus(variant: HandshakeVariant, kind: HandshakeKind): number {
  return variant !== 'none' && kind === 'disallowed' ? 403 : 101
}

/** An error when the status is not the expected one: such a variant is not timed for that kind. */
export function checkHandshake(variant: HandshakeVariant, kind: HandshakeKind, status: number): Finding[] {
  const expected = expectedStatus(variant, kind)
  if (status === expected) return []
  return [{ severity: 'error', message: `${handshakeLabels[kind]}: answered ${status}, not ${expected}` }]
}
