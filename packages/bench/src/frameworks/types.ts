/** The four variants every framework module exports, in the order they are reported. */
export const variants = ['none', 'hand-written', 'peer', 'ours'] as const
export type Variant = (typeof variants)[number]

export const variantLabels: Record<Variant, string> = {
  none: 'no CORS',
  'hand-written': 'hand-written',
  peer: 'peer',
  ours: 'ours',
}

/** A server listening on 127.0.0.1. */
export interface Listening {
  port: number
  close(): Promise<void>
}

/** One framework: how to start each variant on a port (0: any free port). */
export interface Framework {
  name: string
  start: Record<Variant, (port: number) => Promise<Listening>>
}
