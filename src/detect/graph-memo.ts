/**
 * What detectors work out once per graph (or per focus) and share, by name and parameters:
 * degrees, one-off flags, layers, chains, round trips. Each is a pure function of its owner and
 * key, kept as long as the owner lives (a WeakMap: dropped with the graph).
 */

const cache = new WeakMap<object, Map<string, unknown>>();

export function memoised<T>(owner: object, key: string, make: () => T): T {
  let byKey = cache.get(owner);
  if (!byKey) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  if (!byKey.has(key)) byKey.set(key, make());
  return byKey.get(key) as T;
}
