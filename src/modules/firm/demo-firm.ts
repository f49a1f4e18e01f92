import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config';
import type { Database } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import { Locale } from '../reference/reference.types';
import { insertShareLink, shareLinkUrl } from '../report/report.service';
import { createSampleData } from './demo-sample-data';
import { createFirmWithAdminKey } from './firm.service';

/** Name of the demo firm created on the first start of an empty embedded database. */
export const DEMO_FIRM_NAME = 'Demo Consulting';

/** File in the data folder that keeps the demo firm's ADMIN key (mode 0600). */
export const DEMO_KEY_FILE = 'demo-key.txt';

/** File in the data folder with the sample report's share-link URLs: page EN, page RU, PDF EN, PDF RU (mode 0600). */
export const DEMO_REPORT_FILE = 'demo-report-url.txt';

/** How long the sample report's share link stays valid. */
const DEMO_LINK_DAYS = 90;

// Arbitrary constant: serialises demo-firm creation between processes starting at once.
const DEMO_LOCK_KEY = 482_913_002;

/**
 * Start-up step: when `config.demoFirm` is on and the database has no firm yet, creates
 * "Demo Consulting" with an ADMIN key, prints the key to stdout once, and writes it to
 * `<dataDir>/demo-key.txt` (readable only by the owner) for whoever missed the line.
 */
export async function ensureDemoFirm(database: Database, app: FastifyInstance, config: AppConfig): Promise<void> {
  if (!config.demoFirm) return;
  const created = await withTransaction(database.dataSource, async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK_KEY]);
    const rows: Array<{ exists: boolean }> = await manager.query('SELECT EXISTS (SELECT 1 FROM firm) AS "exists"');
    if (rows[0]?.exists) return null;
    const firm = await createFirmWithAdminKey(manager, DEMO_FIRM_NAME);
    // Sample clients with closed assessments, and a share link of the featured report.
    const started = performance.now();
    const samples = await createSampleData(manager, firm.firm.id);
    const sampleMs = Math.round(performance.now() - started);
    const share = samples
      ? await insertShareLink(manager, {
          firmId: firm.firm.id,
          assessmentId: samples.featuredAssessmentId,
          expiresAt: new Date(Date.now() + DEMO_LINK_DAYS * 86_400_000),
          locale: Locale.EN,
          createdByKeyId: null,
        })
      : null;
    return { ...firm, samples, share, sampleMs };
  });
  if (!created) return;

  const keyFile = path.join(config.dataDir, DEMO_KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(keyFile, `${created.adminKey}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only to a new file; an old one keeps its mode otherwise.
  fs.chmodSync(keyFile, 0o600);
  let reportLines: string[] = [];
  if (created.share && created.samples) {
    const page = shareLinkUrl(config.publicUrl, created.share.link, created.share.token);
    const pdf = page.replace(/\?/, '.pdf?');
    const urls = [page, page.replace('locale=en', 'locale=ru'), pdf, pdf.replace('locale=en', 'locale=ru')];
    const reportFile = path.join(config.dataDir, DEMO_REPORT_FILE);
    fs.writeFileSync(reportFile, `${urls.join('\n')}\n`, { mode: 0o600 });
    fs.chmodSync(reportFile, 0o600);
    reportLines = [
      '',
      `  ${created.samples.organisations} sample clients with ${created.samples.assessments} closed assessments were added. A sample report`,
      `  (share link, valid ${DEMO_LINK_DAYS} days; the PDF and Russian links are in ${reportFile}):`,
      '',
      `      ${urls[0]}`,
    ];
  }

  const line = '='.repeat(78);
  process.stdout.write(
    [
      '',
      line,
      `  Demo firm "${DEMO_FIRM_NAME}" created. Its ADMIN API key (printed only this once):`,
      '',
      `      ${created.adminKey}`,
      '',
      `  It is also saved in ${keyFile} (readable only by you).`,
      `  Try it:  KEY=$(cat ${keyFile})`,
      `           curl -s http://localhost:${config.port || 4000}/graphql -H 'content-type: application/json' \\`,
      `             -H "authorization: Bearer $KEY" -d '{"query":"{ me { firm { name } role } }"}'`,
      ...reportLines,
      line,
      '',
      '',
    ].join('\n'),
  );
  app.log.info(
    { firmId: created.firm.id, keyFile, sampleMs: created.sampleMs },
    'demo firm created; its ADMIN key is in the key file',
  );
}
