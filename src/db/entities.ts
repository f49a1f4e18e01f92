import { ApiKey } from '../modules/firm/api-key.entity';
import { Firm } from '../modules/firm/firm.entity';

/** Every entity of the application; the DataSource and the migration check use this list. */
export const ENTITIES = [Firm, ApiKey];
