/** How many origins (and request-header lists) each policy remembers answers for. */
export const maxCachedOrigins = 1024

/**
 * Looks a key up in a cache, computing and storing the value on a miss. Keys come from requests,
 * so the cache is bounded: it is emptied when full, which keeps memory flat whatever clients send.
 */
export function remember<V>(cache: Map<string, V>, key: string, compute: (key: string) => V): V {
  let value = cache.get(key)
  if (value === undefined) {
    if (cache.size >= maxCachedOrigins) cache.clear()
    value = compute(key)
    cache.set(key, value)
  }
  return value
}
