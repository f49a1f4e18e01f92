const { chromium } = require('playwright-core');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
  const blocked = [];
  await page.route('**/*', (route) => { const u = new URL(route.request().url()); if (u.hostname === '127.0.0.1' || u.hostname === 'localhost') return route.continue(); blocked.push(u.href); return route.abort(); });
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto('http://127.0.0.1:4517/graphql');
  await page.waitForSelector('.graphiql-execute-button', { timeout: 20000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('Demo Consulting'), null, { timeout: 20000 });
  console.log((await page.textContent('.result-window')).slice(0, 300));
  await page.screenshot({ path: '/tmp/explorer.png' });
  console.log('blocked', blocked);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
