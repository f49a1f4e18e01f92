import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../src/modules/respondent-page/testing/chromium';
import { startTestApp, type TestApp } from './helpers/test-app';
import { DEMO_KEY_FILE } from '../src/modules/firm/demo-firm';

describe('the development explorer, offline', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp({ config: { nodeEnv: 'development', demoFirm: true } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows GraphiQL from this server only, with the demo key filled in, and runs a query', async () => {
    const demoKey = fs.readFileSync(path.join(app.config.dataDir, DEMO_KEY_FILE), 'utf8').trim();
    const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    const own = new URL(app.url).host;
    const elsewhere: string[] = [];
    const loaded: string[] = [];
    // A machine without internet: anything not from this server fails.
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.host === own) {
        loaded.push(url.pathname);
        return route.continue();
      }
      elsewhere.push(url.href);
      return route.abort('internetdisconnected');
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${app.url}/graphql`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    // The headers editor holds the demo firm's key.
    await page.getByText('Headers', { exact: true }).click();
    // Functions that run in the page (not text: the page's CSP forbids eval); no DOM types here.
    await page.waitForFunction(
      (key) => (globalThis as any).document.body.innerText.includes(key),
      demoKey.slice(0, 20),
    );

    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => (globalThis as any).document.querySelector('.result-window')?.textContent?.includes('"role"'),
      null,
      { timeout: 30_000 },
    );
    const result = (await page.textContent('.result-window')) ?? '';
    expect(result).toContain('Demo Consulting');
    expect(result).toContain('ADMIN');
    await page.screenshot({ path: path.join(app.config.dataDir, 'explorer.png') });

    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(loaded).toEqual(
      expect.arrayContaining([
        '/graphql',
        '/explorer-assets/graphiql.min.js',
        '/explorer-assets/graphiql.min.css',
        '/explorer-assets/react.production.min.js',
      ]),
    );
    await page.close();
  });

  it('serves only its own asset files, and a GraphQL GET still answers JSON', async () => {
    expect((await fetch(`${app.url}/explorer-assets/graphiql.min.js`)).headers.get('content-type')).toMatch(
      /javascript/,
    );
    const other = await fetch(`${app.url}/explorer-assets/package.json`);
    expect(other.status).toBe(404);
    const traversal = await fetch(`${app.url}/explorer-assets/..%2F..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
    const get = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ serverInfo { scoringMethod } }')}`, {
      headers: { accept: 'text/html,application/json', 'apollo-require-preflight': '1' },
    });
    expect(await get.json()).toEqual({ data: { serverInfo: { scoringMethod: '1' } } });
  });
});

describe('the explorer in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { nodeEnv: 'production' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('is off, and so are its assets', async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('<html');
    expect((await fetch(`${app.url}/explorer-assets/graphiql.min.js`)).status).toBe(404);
  });
});
