// For the frameworks whose requests are function calls (a Lambda handler, a Next.js proxy): each
// variant checked against the policy, timed in process, and the command that prints both.
import { check, type Kind, kinds, type Observed } from '../policy.ts'
import { type Variant, variants } from './types.ts'

export type Figures = Record<Variant, Record<Kind, number>>

/** The policy's checks on what one variant answered to each request kind (`bare`: the no-CORS variant). */
export async function verifyKinds(
  observe: (kind: Kind) => Promise<Observed>,
  bare: boolean,
): Promise<string[]> {
  const problems: string[] = []
  for (const kind of kinds)
    for (const finding of check(kind, await observe(kind), !bare))
      problems.push(`${kind}: ${finding.severity}: ${finding.message}`)
  return problems
}

/**
 * Nanoseconds per call, per variant and request kind: the fastest of `rounds` timed loops of `calls`
 * calls each, after a warm-up round (on a shared machine the slower loops measure the other
 * processes); the variants take turns within each round. `prepare` builds the call outside the timed
 * loop (the request or event included).
 */
export async function fastestLoops(
  rounds: number,
  calls: number,
  prepare: (variant: Variant, kind: Kind) => () => unknown,
): Promise<Figures> {
  const samples = Object.fromEntries(
    variants.map((variant) => [variant, Object.fromEntries(kinds.map((kind) => [kind, [] as number[]]))]),
  ) as Record<Variant, Record<Kind, number[]>>
  for (let round = -1; round < rounds; round++) {
    for (const kind of kinds) {
      for (const variant of variants) {
        const call = prepare(variant, kind)
        const start = process.hrtime.bigint()
        for (let i = 0; i < calls; i++) await call()
        const ns = Number(process.hrtime.bigint() - start) / calls
        if (round >= 0) samples[variant][kind].push(ns)
      }
    }
  }
  return Object.fromEntries(
    variants.map((variant) => [
      variant,
      Object.fromEntries(kinds.map((kind) => [kind, Math.min(...samples[variant][kind])])),
    ]),
  ) as Figures
}

/** The command: every variant's problems on stderr, then the figures as a markdown table. */
export async function printInProcess(
  verify: (variant: Variant) => Promise<string[]>,
  measure: () => Promise<Figures>,
): Promise<void> {
  for (const variant of variants) {
    const problems = await verify(variant)
    if (problems.length > 0) console.error(`${variant}:\n  ${problems.join('\n  ')}`)
  }
  const figures = await measure()
  console.log(`| variant | ${kinds.join(' | ')} |`)
  console.log(`| --- | ${kinds.map(() => '---:').join(' | ')} |`)
  for (const variant of variants)
    console.log(
      `| ${variant} | ${kinds.map((kind) => `${Math.round(figures[variant][kind])} ns`).join(' | ')} |`,
    )
}
