import { InitialTenancy1795347805974 } from './1795347805974-initial-tenancy';
/** Every migration, in order. `npm run migration:generate` writes a new file: add it here. */
export const MIGRATIONS: Function[] = [InitialTenancy1795347805974];
