import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../src/modules/respondent-page/testing/chromium';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/** A portal page on its own origin (another port of this machine), as a firm's portal would be. */
async function startPortal(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Portal</title><p>Client portal</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface PageCall {
  status?: number;
  body?: { data?: { me?: { firm: { name: string } } } | null; errors?: unknown[] };
  blocked?: string;
}

describe('CORS in a real browser', () => {
  let app: TestApp;
  let browser: Browser;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let elsewhere: Awaited<ReturnType<typeof startPortal>>;
  let mine: TestFirm;
  let other: TestFirm;

  beforeAll(async () => {
    app = await startTestApp();
    portal = await startPortal();
    elsewhere = await startPortal();
    mine = await createTestFirm(app.running.database.dataSource, 'Portal firm');
    other = await createTestFirm(app.running.database.dataSource, 'Other firm');
    await app.ok(
      'mutation ($o: [String!]!) { updateFirmSettings(input: { corsOrigins: $o }) { corsOrigins } }',
      { o: [portal.origin] },
      mine.auth.ADMIN,
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await elsewhere?.close();
    await app?.stop();
  });

  /** Opens `origin` in the browser and calls the API from it with `key`, as a portal's script would. */
  async function callFrom(origin: string, key: string): Promise<PageCall> {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ api, key }) => {
          try {
            const res = await fetch(`${api}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify({ query: '{ me { firm { name } } }' }),
            });
            return { status: res.status, body: (await res.json()) as PageCall['body'] };
          } catch (err) {
            // The browser refused to let the page read the answer (no CORS approval).
            return { blocked: String(err) };
          }
        },
        { api: app.url, key },
      );
    } finally {
      await page.close();
    }
  }

  it('lets the firm’s portal origin call the API with the firm’s key (preflight and request)', async () => {
    const call = await callFrom(portal.origin, mine.keys.VIEWER);
    expect(call).toEqual({ status: 200, body: { data: { me: { firm: { name: 'Portal firm' } } } } });
  });

  it('blocks an origin no firm allows', async () => {
    const call = await callFrom(elsewhere.origin, mine.keys.VIEWER);
    expect(call.blocked).toMatch(/Failed to fetch/);
  });

  it('refuses another firm’s key from that portal with a named error and none of that firm’s data', async () => {
    const call = await callFrom(portal.origin, other.keys.VIEWER);
    expect(call.body?.data ?? null).toBeNull();
    expect(call.body?.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'CORS_ORIGIN_NOT_ALLOWED' }) }),
    ]);
    expect(JSON.stringify(call)).not.toContain('Other firm');
  });
});
