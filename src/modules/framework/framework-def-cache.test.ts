import * as fs from 'node:fs';
import * as path from 'node:path';
import { frameworkDefOf, LruCache } from './framework-def-cache';
import { toFrameworkDef } from './framework-convert';
import type { FrameworkDocument } from './framework-document';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);

describe('LruCache', () => {
  it('keeps at most `capacity` entries and drops the least recently used', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    cache.set('a', 10); // replacing refreshes, does not grow
    cache.set('d', 4);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBe(10);
    expect(cache.size).toBe(2);
  });
});

describe('frameworkDefOf', () => {
  it('converts once per version id and checksum', () => {
    const version = { id: 'c0a80101-0000-4000-8000-000000000001', checksum: 'one', document: MINIMAL };
    const first = frameworkDefOf(version);
    expect(first).toEqual(toFrameworkDef(MINIMAL));
    expect(frameworkDefOf({ ...version })).toBe(first);
    // A replaced draft has a new checksum: converted again, never served stale.
    const changed = structuredClone(MINIMAL);
    changed.dimensions[0].weight = 7;
    const second = frameworkDefOf({ ...version, checksum: 'two', document: changed });
    expect(second).not.toBe(first);
    expect(second.dimensions[0].weight).toBe(7);
  });
});
