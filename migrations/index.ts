import { Webhooks1796412551152 } from './1796412551152-webhooks';
import { InitialSchema1795348009516 } from './1795348009516-initial-schema';
/** Every migration, in order. `npm run migration:generate -- <Name>` writes a new file and adds it here. */
export const MIGRATIONS: Function[] = [InitialSchema1795348009516, Webhooks1796412551152];
