import {
  type CorsHeaderAccess,
  type CorsWrite,
  type CorsWriter,
  corsHeadersRecord,
  createCorsWriter,
} from '@cors/core'
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

// Results whose header names are all lower case (the usual case) are read and changed by exact key;
// the others by comparing every key without regard to case. Filled when decorate() copies a result.
const exact = new WeakSet<PlainResult>()
const upper = /[A-Z]/

// Whether a result's key names the (lower-case) header: names are case-insensitive.
const names = (key: string, name: string): boolean =>
  key === name || (key.length === name.length && key.toLowerCase() === name)

function remove(result: PlainResult, name: string): void {
  const { headers, multiValueHeaders } = result
  if (exact.has(result)) {
    if (headers !== undefined) delete headers[name]
    if (multiValueHeaders !== undefined) delete multiValueHeaders[name]
    return
  }
  if (headers !== undefined) for (const key of Object.keys(headers)) if (names(key, name)) delete headers[key]
  if (multiValueHeaders !== undefined)
    for (const key of Object.keys(multiValueHeaders)) if (names(key, name)) delete multiValueHeaders[key]
}

function get(result: PlainResult, name: string): string | undefined {
  const { headers, multiValueHeaders } = result
  if (exact.has(result)) {
    const lines =
      multiValueHeaders !== undefined && Object.hasOwn(multiValueHeaders, name)
        ? multiValueHeaders[name]
        : undefined
    const single = headers !== undefined && Object.hasOwn(headers, name) ? String(headers[name]) : undefined
    if (lines === undefined) return single
    return single === undefined ? lines.join(', ') : [...lines, single].join(', ')
  }
  const values: string[] = []
  if (multiValueHeaders !== undefined)
    for (const key of Object.keys(multiValueHeaders))
      if (names(key, name)) for (const line of multiValueHeaders[key] ?? []) values.push(String(line))
  if (headers !== undefined)
    for (const key of Object.keys(headers)) if (names(key, name)) values.push(String(headers[key]))
  return values.length === 0 ? undefined : values.join(', ')
}

/**
 * Header access over a result's plain records, names in any case. `headers` and `multiValueHeaders`
 * are read as one (API Gateway 1.0 merges them); what is set goes where the event's kind reads it.
 */
function access(shape: EventShape): CorsHeaderAccess<PlainResult> {
  return {
    get,
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
    names: ({ headers, multiValueHeaders }) => {
      const present = headers === undefined ? [] : Object.keys(headers)
      if (multiValueHeaders !== undefined) present.push(...Object.keys(multiValueHeaders))
      for (let i = 0; i < present.length; i++) present[i] = present[i]!.toLowerCase()
      return present
    },
  }
}

// A copy of a header record; whether all its names are lower case.
function copyRecord<T>(record: Readonly<Record<string, T>>): [Record<string, T>, boolean] {
  const copy: Record<string, T> = {}
  let lower = true
  for (const key of Object.keys(record)) {
    copy[key] = record[key]!
    if (lower && upper.test(key)) lower = false
  }
  return [copy, lower]
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
  let lower = true
  if (result.headers != null) [copy.headers, lower] = copyRecord(result.headers)
  if (result.multiValueHeaders != null) {
    const [lines, alsoLower] = copyRecord(result.multiValueHeaders)
    copy.multiValueHeaders = lines
    lower &&= alsoLower
  }
  if (lower) exact.add(copy)
  writers[shape].write(copy, decision)
  return copy
}

/** The answer to a preflight (or a refused request) in the event's shape, with the decision's headers. */
export function answer(shape: EventShape, statusCode: number, decision: CorsWrite): PlainResult {
  const headers = corsHeadersRecord(decision)
  if (shape === 'single') return { statusCode, headers, body: '' }
  const multiValueHeaders: Multi = {}
  for (const name of Object.keys(headers)) multiValueHeaders[name] = [headers[name]!]
  return { statusCode, multiValueHeaders, body: '' }
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
