/**
 * The handshake client in its own process (pinned to the load CPU, like wrk), driven over IPC by
 * `HandshakeLoader`: one message per window, answered with its `HandshakeLoad`.
 */
import { type HandshakeLoad, loadHandshakes } from './client.ts'

export type LoadCommand = Parameters<typeof loadHandshakes>[0]
export type LoadReply =
  | { type: 'ready' }
  | { type: 'done'; result: HandshakeLoad }
  | { type: 'failed'; message: string }

const send = (reply: LoadReply): void => void process.send?.(reply)
process.on('message', (command: LoadCommand) => {
  loadHandshakes(command).then(
    (result) => send({ type: 'done', result }),
    (error: Error) => send({ type: 'failed', message: error.message }),
  )
})
process.on('disconnect', () => process.exit(0))
send({ type: 'ready' })
