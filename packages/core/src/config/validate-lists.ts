import {
  isForbiddenRequestHeader,
  isForbiddenResponseHeader,
  isProtocolHeader,
  isToken,
} from '../fetch/headers.ts'
import { isForbiddenMethod, isNormalizedMethod } from '../fetch/methods.ts'
import type { Report } from './errors.ts'

const defaultMethods = Object.freeze(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'])

function list(option: string, value: unknown, report: Report): string[] | undefined {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item: string) => item.trim())
  report(
    'invalid-type',
    option,
    value,
    'must be a string or an array of strings',
    `e.g. ${option}: ['X-Request-Id']`,
  )
  return undefined
}

export function methods(value: unknown, report: Report): '*' | readonly string[] {
  if (value === undefined) return defaultMethods
  const names = list('methods', value, report) ?? []
  const result: string[] = []
  for (const name of names) {
    if (name === '*') continue
    const upper = name.toUpperCase()
    if (!isToken(name))
      report(
        'invalid-method',
        'methods',
        name,
        'is not a valid method name (an HTTP token)',
        'use names such as "GET" or "PATCH"',
      )
    else if (isForbiddenMethod(name))
      report(
        'forbidden-method',
        'methods',
        name,
        'browsers never send this method (Fetch forbids it)',
        `remove "${name}"`,
      )
    else if (!isNormalizedMethod(name) && name !== upper)
      // Fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT: fetch(url, { method: 'patch' })
      // sends "patch", which no server on Node even parses. Browsers compare methods byte for byte.
      // @see https://fetch.spec.whatwg.org/#concept-method-normalize
      report(
        'method-case',
        'methods',
        name,
        'is not upper case; methods are compared case-sensitively, and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT',
        `write ${JSON.stringify(upper)} (and send it upper case from the page)`,
      )
    else {
      const method = isNormalizedMethod(name) ? upper : name
      if (!result.includes(method)) result.push(method)
    }
  }
  // Every item is checked first, so "*" never hides a bad name listed next to it.
  return names.includes('*') ? '*' : result
}

export function headerNames(
  option: 'allowedHeaders' | 'exposedHeaders',
  value: unknown,
  report: Report,
): string[] {
  const names: string[] = []
  for (const name of list(option, value, report) ?? []) {
    const lower = name.toLowerCase()
    if (name === '*') {
      if (!names.includes('*')) names.push('*')
    } else if (!isToken(name))
      report(
        'invalid-header-name',
        option,
        name,
        'is not a valid header name (an HTTP token)',
        'use names such as "Content-Type" or "X-Request-Id"',
      )
    else if (isProtocolHeader(lower) || (option === 'allowedHeaders' && lower === 'origin')) {
      report(
        'protocol-header',
        option,
        name,
        'is a header of the CORS protocol itself, handled by this library',
        `remove "${name}"`,
      )
    } else if (option === 'allowedHeaders' && isForbiddenRequestHeader(lower)) {
      report(
        'forbidden-header',
        option,
        name,
        'is a forbidden request header: browsers never let a page set it',
        `remove "${name}"`,
      )
    } else if (option === 'exposedHeaders' && isForbiddenResponseHeader(lower)) {
      report(
        'forbidden-header',
        option,
        name,
        'browsers never let a page read Set-Cookie, whatever is exposed',
        `remove "${name}"`,
      )
    } else if (!names.includes(lower)) names.push(lower)
  }
  return names
}
