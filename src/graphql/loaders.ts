import DataLoader from 'dataloader';

/**
 * A per-request registry of DataLoaders: each module asks for its loader by a unique name
 * and a factory, so batching and caching never cross requests (or firms).
 */
export class Loaders {
  private readonly map = new Map<string, DataLoader<unknown, unknown>>();

  /** The loader registered under `name`, created with `factory` on first use in this request. */
  get<K, V>(name: string, factory: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.map.get(name);
    if (!loader) {
      loader = factory();
      this.map.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}
