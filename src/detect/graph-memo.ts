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

/** What the owner holds under `key` so far, without making it. */
export function memoOf<T>(owner: object, key: string): T | undefined {
  return cache.get(owner)?.get(key) as T | undefined;
}

/** The keys the owner holds so far. */
export function memoKeys(owner: object): string[] {
  return [...(cache.get(owner)?.keys() ?? [])];
}

/**
 * Gives the owner a value under `key` worked out otherwise (carried over from the last run's
 * graph, `carried-measures.ts`): it must be the value `make` would give.
 */
export function seedMemo(owner: object, key: string, value: unknown): void {
  let byKey = cache.get(owner);
  if (!byKey) {
    byKey = new Map();
    cache.set(owner, byKey);
  }
  byKey.set(key, value);
}
