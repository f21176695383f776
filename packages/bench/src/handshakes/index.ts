/** The handshake part of `npm run bench`, run and written up: what run.ts calls. */
import { benchHandshakes } from '@cors/conformance/adapters'
import { median } from '../summary.ts'
import { versionOf } from '../versions.ts'
import { handshakeMarkdown } from './report.ts'
import { type HandshakeResult, type HandshakeRun, runHandshakes } from './run.ts'

export async function handshakeBench(
  run: HandshakeRun,
): Promise<{ section: string; result: HandshakeResult }> {
  const started = Date.now()
  run.log(`handshakes: ws, ${run.mode.reps} repetition(s)`)
  const result = await runHandshakes(run)
  const { mode } = run
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  const section = handshakeMarkdown(result, [
    [
      'packages',
      benchHandshakes
        .flatMap(({ npm, bench }) => [
          ...bench.runsOn.map((name) => `${name} ${versionOf(name)}`),
          `${npm} (this repository's build)`,
        ])
        .join(', '),
    ],
    [
      'client',
      `a Node process of raw TCP handshakes, ${result.connections} in flight, ` +
        `${median(result.clientCpu).toFixed(1)} µs of its own CPU per handshake (median)` +
        (run.cpu === undefined
          ? ', not pinned'
          : `; server pinned to CPU ${run.cpu.server}, client to CPU ${run.cpu.load}`),
    ],
    [
      'mode',
      `${mode.reps} server process(es) per variant, side by side, taking turns: ${mode.warmRounds} warm-up round(s) ` +
        `of ${mode.warmMs} ms per kind, then ${mode.windows} round(s) of one ${mode.windowMs} ms window per kind ` +
        `and variant; took ${seconds} s`,
    ],
  ])
  return { section, result }
}
