/**
 * `npm run docs:screenshots`: starts the server on a throw-away embedded database, invites a
 * respondent of a branded firm, answers a few questions, and writes
 * docs/images/respondent-page-en.png and docs/images/respondent-page-ru.png with Debian's
 * Chromium (`apt-get install -y chromium`).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { withTransaction } from '../src/db/transaction';
import { createApiKey } from '../src/modules/firm/api-key.service';
import { createFirmWithAdminKey } from '../src/modules/firm/firm.service';
import { launchChromium } from '../src/modules/respondent-page/testing/chromium';
import { graphql, inviteToDefaultFramework } from '../src/modules/respondent-page/testing/page-scenario';
import { STARTUP_STEPS } from '../src/startup';

const OUT_DIR = path.join(__dirname, '..', 'docs', 'images');

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-screens-'));
  const config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: null,
    logLevel: 'silent' as const,
    demoFirm: false,
  };
  const running = await startApp(config, STARTUP_STEPS);
  const browser = await launchChromium();
  try {
    const { adminKey, consultantKey } = await withTransaction(running.database.dataSource, async (manager) => {
      const { firm, adminKey } = await createFirmWithAdminKey(manager, 'Northwind Advisory');
      return { adminKey, consultantKey: (await createApiKey(manager, firm.id, 'screenshots', 'CONSULTANT')).secret };
    });

    // A logo drawn by the browser itself, so the screenshots need no image file.
    const logoPage = await browser.newPage({ viewport: { width: 120, height: 40 } });
    await logoPage.setContent(
      '<body style="margin:0"><div style="width:120px;height:40px;display:flex;align-items:center;justify-content:center;gap:6px;font:700 17px sans-serif;color:#0f5132;background:#fff">' +
        '<span style="display:inline-block;width:22px;height:22px;border-radius:50%;background:#0f5132"></span>NW</div></body>',
    );
    const logo = (await logoPage.screenshot({ type: 'png' })).toString('base64');
    await logoPage.close();
    await graphql(
      running.url,
      adminKey,
      'mutation($i: UpdateFirmSettingsInput!) { updateFirmSettings(input: $i) { id } }',
      {
        i: { brandColor: '#0f5132', logo: `data:image/png;base64,${logo}` },
      },
    );

    const invitation = await inviteToDefaultFramework(running.url, consultantKey, {
      organisation: 'Acme Retail',
      respondent: 'Anna Petrova',
    });
    await graphql(
      running.url,
      invitation.token,
      'mutation($i: SaveAnswersInput!) { saveAnswers(input: $i) { status } }',
      {
        i: {
          answers: [
            { question: 'LEAD_01', value: 4, clientSeq: 1 },
            { question: 'LEAD_02', value: 2, clientSeq: 1 },
            { question: 'LEAD_03', value: true, clientSeq: 1 },
          ],
        },
      },
    );
    const pageUrl = `${running.url}/r/${invitation.token}`;
    fs.mkdirSync(OUT_DIR, { recursive: true });
    for (const [lang, locale] of [
      ['en', 'en-GB'],
      ['ru', 'ru-RU'],
    ] as const) {
      const context = await browser.newContext({
        locale,
        viewport: { width: 900, height: 1250 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.waitForSelector('#q-LEAD_01');
      await page.waitForSelector('#save-status[data-state="saved"]');
      const file = path.join(OUT_DIR, `respondent-page-${lang}.png`);
      await page.screenshot({ path: file, type: 'png' });
      process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
