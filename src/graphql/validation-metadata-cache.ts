import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Metadatas = ReturnType<Lookup>;

const installed = new WeakSet<Storage>();

/**
 * Makes class-validator's metadata lookup O(1) after its first call for a class.
 *
 * `getTargetValidationMetadatas` tests every decorated class of the process for inheritance on
 * each call (typestack/class-validator#2686), and `validate` calls it once per validated object:
 * 11 times for a saveAnswers of 10 answers. Its answer depends only on its arguments and on the
 * registered metadata, so it is remembered per (class, schema, always, strictGroups, groups), and
 * forgotten whenever metadata is registered. The grouping of such a remembered list by property,
 * which `validate` also redoes for each object, is remembered with the list. Idempotent.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (installed.has(storage)) return;
  installed.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  let cache = new WeakMap<object, Map<string, Metadatas>>();
  const forget = (): void => {
    cache = new WeakMap();
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const original = storage[method].bind(storage);
    (storage as unknown as Record<string, unknown>)[method] = (arg: never): void => {
      forget();
      original(arg);
    };
  }
  const group: Storage['groupByPropertyName'] = storage.groupByPropertyName.bind(storage);
  // Keyed by the remembered lists themselves, so it is forgotten with them. class-validator
  // only reads the groups; they are frozen because every caller gets the same ones.
  const groups = new WeakMap<Metadatas, ReturnType<typeof group>>();
  storage.groupByPropertyName = (metadatas) => {
    if (!Object.isFrozen(metadatas)) return group(metadatas);
    let grouped = groups.get(metadatas);
    if (!grouped) {
      grouped = group(metadatas);
      for (const list of Object.values(grouped)) Object.freeze(list);
      groups.set(metadatas, Object.freeze(grouped));
    }
    return grouped;
  };
  storage.getTargetValidationMetadatas = (target, targetSchema, always, strictGroups, groups) => {
    const key = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups ? JSON.stringify(groups) : ''}`;
    let byKey = cache.get(target);
    if (!byKey) cache.set(target, (byKey = new Map<string, Metadatas>()));
    let found = byKey.get(key);
    if (!found) {
      // Frozen because every caller gets this same array.
      found = Object.freeze(lookup(target, targetSchema, always, strictGroups, groups)) as Metadatas;
      byKey.set(key, found);
    }
    return found;
  };
}
