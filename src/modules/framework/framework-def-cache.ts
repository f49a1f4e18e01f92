import type { FrameworkDef } from '../../scoring/types';
import type { FrameworkDocument } from './framework-document';
import { toFrameworkDef } from './framework-convert';

/** A small least-recently-used map (a Map keeps insertion order: the first key is the oldest). */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** How many converted framework versions a process keeps. */
export const FRAMEWORK_DEF_CACHE_SIZE = 64;

const cache = new LruCache<string, FrameworkDef>(FRAMEWORK_DEF_CACHE_SIZE);

/**
 * The scoring engine's view of a stored framework version, converted once per process.
 * Keyed by id and checksum: a published version never changes, and a replaced draft gets a
 * new checksum, so a cached entry is never stale. Callers must not mutate the result.
 */
export function frameworkDefOf(version: { id: string; checksum: string; document: FrameworkDocument }): FrameworkDef {
  const key = `${version.id}:${version.checksum}`;
  let def = cache.get(key);
  if (!def) {
    def = toFrameworkDef(version.document);
    cache.set(key, def);
  }
  return def;
}
