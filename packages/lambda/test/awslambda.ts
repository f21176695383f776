// A stand-in for the `awslambda` global of the Lambda Node.js runtime, shaped as AWS documents it
// ("Response streaming for Lambda functions"; the declarations in @types/aws-lambda):
// `streamifyResponse(handler)` marks a handler `(event, responseStream, context)`, and
// `HttpResponseStream.from(responseStream, metadata)` makes the stream send the metadata (status,
// headers, cookies) as JSON followed by 8 NUL bytes just before the first body byte.
import { Writable } from 'node:stream'
import type { Context, StreamifyHandler } from 'aws-lambda'

/** Where one invocation's bytes go, as the Function URL receives them. */
export class ResponseSink extends Writable {
  readonly chunks: Buffer[] = []
  contentType = 'application/octet-stream'

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk)
    done()
  }

  setContentType(type: string): void {
    this.contentType = type
  }

  /** The metadata prelude and the body, split at the 8 NUL bytes. */
  read(): { metadata: Record<string, unknown>; body: string } {
    const all = Buffer.concat(this.chunks)
    const end = all.indexOf(Buffer.alloc(8))
    return { metadata: JSON.parse(all.subarray(0, end).toString()), body: all.subarray(end + 8).toString() }
  }
}

const streaming = Symbol.for('aws.lambda.runtime.handler.streaming')

const HttpResponseStream = {
  from(stream: ResponseSink, metadata: Record<string, unknown>): ResponseSink {
    stream.setContentType('application/vnd.awslambda.http-integration-response')
    const write = stream.write.bind(stream) as (chunk: unknown) => boolean
    let first = true
    stream.write = ((chunk: unknown, ...rest: never[]) => {
      if (first) {
        first = false
        write(JSON.stringify(metadata))
        write(new Uint8Array(8))
      }
      return (write as (chunk: unknown, ...rest: never[]) => boolean)(chunk, ...rest)
    }) as typeof stream.write
    return stream
  },
}

/** Installs the stand-in on globalThis; returns a function that removes it. */
export function installAwsLambda(): () => void {
  const runtime = {
    HttpResponseStream,
    streamifyResponse: <E, R>(handler: StreamifyHandler<E, R>) =>
      Object.assign(handler, { [streaming]: 'response' }),
  }
  Object.assign(globalThis, { awslambda: runtime })
  return () => {
    delete (globalThis as { awslambda?: unknown }).awslambda
  }
}

/** Invokes a streaming handler as the runtime does, and reads what the client receives. */
export async function invokeStreaming<E>(
  handler: StreamifyHandler<E, void>,
  event: E,
  context: Context,
): Promise<{ metadata: Record<string, unknown>; body: string; contentType: string }> {
  const sink = new ResponseSink()
  await handler(event, sink as unknown as awslambda.HttpResponseStream, context)
  if (!sink.writableFinished) await new Promise((resolve) => sink.once('finish', resolve))
  return { ...sink.read(), contentType: sink.contentType }
}
