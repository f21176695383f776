/** How many origins (and request-header lists) each policy remembers answers for. */
export const maxCachedOrigins = 1024

/**
 * Longest key a cache keeps. Real origins and requested-header lists are far shorter; longer ones
 * are answered without being remembered, so a cache holds at most about half a megabyte.
 */
export const maxCachedKeyLength = 256

/**
 * Looks a key up in a cache, computing and storing the value on a miss. Keys come from requests,
 * so the cache is bounded: it is emptied when full, which keeps memory flat whatever clients send.
 */
export function remember<V>(cache: Map<string, V>, key: string, compute: (key: string) => V): V {
  if (key.length > maxCachedKeyLength) return compute(key)
  let value = cache.get(key)
  if (value === undefined) {
    if (cache.size >= maxCachedOrigins) cache.clear()
    value = compute(key)
    cache.set(key, value)
  }
  return value
}
