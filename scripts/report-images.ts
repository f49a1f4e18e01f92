/**
 * `npm run docs:report-images`: the PNGs of the sample report's first two PDF pages, in
 * English and Russian, for the README (docs/images/report-{en,ru}-{1,2}.png). Starts the
 * server in this process on a fresh embedded database with the demo firm and its sample data,
 * downloads the PDFs through the demo's share link, and renders the pages with pdf.js
 * (pdf-parse) — no browser.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DEMO_REPORT_FILE } from '../src/modules/firm/demo-firm';
import { STARTUP_STEPS } from '../src/startup';

const OUT = path.join(__dirname, '..', 'docs', 'images');
const PAGES = 2;
const SCALE = 1.25;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-report-images-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const config = {
    ...loadConfig({ ...env, NODE_ENV: 'development', DEMO_FIRM: 'true', LOG_LEVEL: 'warn', LOG_PRETTY: 'false' }),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: null,
    demoFirm: true,
  };
  const write = process.stdout.write.bind(process.stdout);
  // The demo banner is not what this script prints.
  process.stdout.write = () => true;
  let running;
  try {
    running = await startApp(config, STARTUP_STEPS);
  } finally {
    process.stdout.write = write;
  }
  try {
    const [pageEn, pageRu] = fs.readFileSync(path.join(dataDir, DEMO_REPORT_FILE), 'utf8').trim().split('\n');
    fs.mkdirSync(OUT, { recursive: true });
    for (const [locale, url] of [
      ['en', pageEn],
      ['ru', pageRu],
    ] as const) {
      const { pathname, search } = new URL(url);
      const res = await fetch(`${running.url}${pathname}.pdf${search}`);
      if (!res.ok) throw new Error(`${locale} PDF: HTTP ${res.status}`);
      const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
      try {
        const shot = await parser.getScreenshot({ first: PAGES, scale: SCALE });
        for (const page of shot.pages.slice(0, PAGES)) {
          const file = path.join(OUT, `report-${locale}-${page.pageNumber}.png`);
          fs.writeFileSync(file, Buffer.from(page.data));
          process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
        }
      } finally {
        await parser.destroy();
      }
    }
  } finally {
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
