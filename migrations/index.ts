import type { MigrationInterface } from 'typeorm';
import { CohortSummaries1796600000000 } from './1796600000000-cohort-summaries';
import { FirmWritePosition1796412600000 } from './1796412600000-firm-write-position';
import { Webhooks1796412551152 } from './1796412551152-webhooks';
import { FirmCorsOrigins1796412475014 } from './1796412475014-firm-cors-origins';
import { ReportShareLinks1796412418475 } from './1796412418475-report-share-links';
import { FirmBranding1796412382337 } from './1796412382337-firm-branding';
import { InitialSchema1795348009516 } from './1795348009516-initial-schema';
/** Every migration, in order. `npm run migration:generate -- <Name>` writes a new file and adds it here. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  InitialSchema1795348009516,
  FirmBranding1796412382337,
  ReportShareLinks1796412418475,
  FirmCorsOrigins1796412475014,
  Webhooks1796412551152,
  FirmWritePosition1796412600000,
  CohortSummaries1796600000000,
];
