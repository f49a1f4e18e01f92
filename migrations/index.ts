import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795348009516 } from './1795348009516-initial-schema';
/** Every migration, in order. `npm run migration:generate -- <Name>` writes a new file and adds it here. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [InitialSchema1795348009516];
