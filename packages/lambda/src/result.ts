import { type CorsHeaderAccess, type CorsWrite, type CorsWriter, createCorsWriter } from '@cors/core'
import type { EventShape } from './event.ts'

type Value = string | number | boolean
type Single = Record<string, Value>
type Multi = Record<string, readonly Value[]>

/** A result as the writer sees it: the fields every Lambda HTTP result shares. */
export interface PlainResult {
  statusCode?: number | undefined
  headers?: Single | undefined
  multiValueHeaders?: Multi | undefined
  body?: string | undefined
  [field: string]: unknown
}

const matching = (record: object | undefined, name: string): string[] =>
  record === undefined
    ? []
    : Object.keys(record).filter((key) => key.length === name.length && key.toLowerCase() === name)

function remove(result: PlainResult, name: string): void {
  for (const key of matching(result.headers, name)) delete result.headers?.[key]
  for (const key of matching(result.multiValueHeaders, name)) delete result.multiValueHeaders?.[key]
}

/**
 * Header access over a result's plain records, names in any case. `headers` and `multiValueHeaders`
 * are read as one (API Gateway 1.0 merges them); what is set goes where the event's kind reads it.
 */
function access(shape: EventShape): CorsHeaderAccess<PlainResult> {
  return {
    get(result, name) {
      const values: Value[] = []
      for (const key of matching(result.multiValueHeaders, name))
        values.push(...(result.multiValueHeaders?.[key] ?? []))
      for (const key of matching(result.headers, name)) values.push(result.headers?.[key] ?? '')
      return values.length === 0 ? undefined : values.join(', ')
    },
    set(result, name, value) {
      remove(result, name)
      if (shape === 'multi') {
        result.multiValueHeaders ??= {}
        result.multiValueHeaders[name] = [value]
      } else {
        result.headers ??= {}
        result.headers[name] = value
      }
    },
    delete: remove,
    names: (result) =>
      [...Object.keys(result.headers ?? {}), ...Object.keys(result.multiValueHeaders ?? {})].map((name) =>
        name.toLowerCase(),
      ),
  }
}

const writers: Record<EventShape, CorsWriter<PlainResult>> = {
  single: createCorsWriter(access('single')),
  multi: createCorsWriter(access('multi')),
}

/**
 * Applies a decision to a result in the event's shape and returns it, through the core's writer:
 * the `Access-Control-*` headers the decision does not send are removed (the policy owns them), its
 * headers set, its `Vary` names merged with the result's own. The records are copied first: a
 * handler may return a shared object.
 */
export function decorate(result: PlainResult, shape: EventShape, decision: CorsWrite): PlainResult {
  const copy: PlainResult = { ...result }
  if (result.headers != null) copy.headers = { ...result.headers }
  if (result.multiValueHeaders != null) copy.multiValueHeaders = { ...result.multiValueHeaders }
  writers[shape].write(copy, decision)
  return copy
}

/** A result of the event's shape with one header set: the default `500`, before the decision. */
export function plainResult(shape: EventShape, statusCode: number, body: string, type: string): PlainResult {
  const result: PlainResult = { statusCode, body }
  access(shape).set(result, 'content-type', type)
  return result
}

/**
 * A 2.0 result as API Gateway and Function URLs read what a handler returns: a result with a
 * `statusCode` as it is; anything else (a string, an object without `statusCode`) is the body of a
 * `200` JSON response, strings as they are and other values serialized.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function structuredV2(value: unknown): PlainResult {
  // Own fields only: Lambda serializes the result with JSON.stringify, which reads nothing else.
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'statusCode'))
    if ((value as PlainResult).statusCode !== undefined) return value as PlainResult
  const body = typeof value === 'string' ? value : JSON.stringify(value ?? null)
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body, isBase64Encoded: false }
}
