import * as fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAnsweringSetup, type AnsweringSetup } from './helpers/answering-setup';
import { launchChromium } from '../src/modules/respondent-page/testing/chromium';
import { graphql, inviteToDefaultFramework } from '../src/modules/respondent-page/testing/page-scenario';
import { redactPageToken } from '../src/modules/respondent-page/respondent-page.paths';

// The respondent's page in Debian's Chromium, on the embedded database or TEST_DATABASE_URL.
jest.setTimeout(120000);

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const QUESTIONNAIRE = `{ questionnaire(locale: EN) {
  status editable
  questions { code type required allowNotApplicable showIf { question anyOf } scale { min max } options { code exclusive } numeric { min max } }
  answers { question value notApplicable clientSeq }
} }`;

interface Q {
  code: string;
  type: string;
  required: boolean;
  allowNotApplicable: boolean;
  scale: { min: number; max: number } | null;
  options: Array<{ code: string; exclusive: boolean }> | null;
  numeric: { min: number; max: number } | null;
}
type Expected = Map<string, { value: unknown; notApplicable: boolean }>;

let setup: AnsweringSetup;
let browser: Browser;

beforeAll(async () => {
  setup = await startAnsweringSetup('Acme Retail');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await setup?.app.stop(true);
});

/** Clicks an answer for one question the way a person would; returns what it means. */
async function answer(page: Page, q: Q, i: number): Promise<{ value: unknown; notApplicable: boolean }> {
  const root = page.locator(`#q-${q.code}`);
  switch (q.type) {
    case 'LIKERT': {
      const scale = q.scale ?? { min: 1, max: 5 };
      const v = scale.min + (i % (scale.max - scale.min + 1));
      await root.locator(`label[for="${q.code}-${v}"]`).click();
      return { value: v, notApplicable: false };
    }
    case 'BOOLEAN': {
      const v = i % 3 !== 0;
      await root.getByLabel(v ? 'Yes' : 'No', { exact: true }).check();
      return { value: v, notApplicable: false };
    }
    case 'SINGLE_CHOICE': {
      const option = q.options![i % q.options!.length];
      await root.locator(`input[value="${option.code}"]`).check();
      return { value: option.code, notApplicable: false };
    }
    case 'MULTI_CHOICE': {
      const plain = q.options!.filter((o) => !o.exclusive);
      const chosen = plain.slice(0, Math.min(2, plain.length)).map((o) => o.code);
      for (const code of chosen) await root.locator(`input[value="${code}"]`).check();
      return { value: chosen, notApplicable: false };
    }
    case 'NUMERIC': {
      const v = Math.round((q.numeric!.min + q.numeric!.max) / 2);
      await root.locator('input').fill(String(v));
      return { value: v, notApplicable: false };
    }
    default: {
      const v = `Answer ${i}: customers first — клиенты прежде всего`;
      await root.locator('textarea').fill(v);
      return { value: v, notApplicable: false };
    }
  }
}

/** Polls until `read` returns `expected` (or the timeout passes, then fails with the last value). */
async function poll<T>(read: () => Promise<T>, expected: T, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: T = await read();
  while (last !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  expect(last).toBe(expected);
}

async function waitSaved(page: Page): Promise<void> {
  await page.locator('#save-status[data-state="saved"]').waitFor({ timeout: 15000 });
}

/** The answers the page shows, read from its inputs. */
async function shownAnswer(page: Page, q: Q): Promise<unknown> {
  const root = page.locator(`#q-${q.code}`);
  if (q.type === 'NUMERIC' || q.type === 'TEXT') {
    const v = await root.locator(q.type === 'TEXT' ? 'textarea' : 'input.number-input').inputValue();
    return q.type === 'NUMERIC' ? Number(v) : v;
  }
  const checked = await root
    .locator('input:checked:not([id^="na-"])')
    .evaluateAll((nodes) => nodes.map((n) => (n as unknown as { value: string }).value));
  if (q.type === 'MULTI_CHOICE') return checked;
  if (q.type === 'LIKERT') return Number(checked[0]);
  if (q.type === 'BOOLEAN') return checked[0] === 'true';
  return checked[0];
}

async function axeViolations(page: Page): Promise<unknown[]> {
  // Evaluated through the DevTools protocol: the page's own policy allows no injected script.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = globalThis as any;
    const result = await w.axe.run(w.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target),
    }));
  });
}

function noHorizontalScroll(page: Page): Promise<boolean> {
  // Runs in the page (the test's own types have no DOM).
  return page.evaluate(() => {
    const w = globalThis as any;
    return w.document.documentElement.scrollWidth <= w.innerWidth;
  });
}

describe('the respondent page in Chromium', () => {
  it('answers the whole default questionnaire by clicking, across a reload, an offline save and two tabs, and submits what was clicked', async () => {
    const { app, firm } = setup;
    const invitation = await inviteToDefaultFramework(app.url, firm.keys.CONSULTANT);
    expect(invitation.url).toBe(`${app.config.publicUrl}/r/${invitation.token}`);
    const pageUrl = `${app.url}/r/${invitation.token}`;
    const questions: Q[] = (await graphql(app.url, invitation.token, QUESTIONNAIRE)).questionnaire.questions;
    const byCode = new Map(questions.map((q) => [q.code, q]));

    const context: BrowserContext = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 360, height: 740 },
    });
    const problems: string[] = [];
    const page = await context.newPage();
    // Failed requests (offline, held back) are logged by the browser itself; anything else is a fault.
    page.on(
      'console',
      (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(m.text()),
    );
    page.on('pageerror', (e) => problems.push(String(e)));
    const response = await page.goto(pageUrl);
    expect(response!.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    await page.locator('#q-LEAD_01').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await noHorizontalScroll(page)).toBe(true);

    const expected: Expected = new Map();
    // Keyboard only: tab to the first scale and choose with the arrow keys.
    await page.locator('#LEAD_01-1').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#LEAD_01-3').isChecked()).toBe(true);
    expected.set('LEAD_01', { value: 3, notApplicable: false });

    // A follow-up appears and disappears with its question's answer.
    const trainFollowUp = byCode.get('TRAIN_02')!;
    expect(trainFollowUp).toBeDefined();

    const half = Math.floor(questions.length / 2);
    let reloaded = false;
    let wentOffline = false;
    let exclusiveChecked = false;
    let index = 0;
    for (const q of questions) {
      index += 1;
      if (q.code === 'LEAD_01') continue;
      if (!reloaded && index > half) {
        // Mid-way: everything clicked so far is saved and shown again after a reload.
        await waitSaved(page);
        await page.reload();
        await page.locator('#q-LEAD_01').waitFor();
        await waitSaved(page);
        for (const [code, a] of expected)
          if (!a.notApplicable) expect([code, await shownAnswer(page, byCode.get(code)!)]).toEqual([code, a.value]);
        reloaded = true;
      }
      const root = page.locator(`#q-${q.code}`);
      if (!(await root.isVisible())) continue;
      if (q.code === 'TRAIN_01') {
        await root.getByLabel('Yes', { exact: true }).check();
        await expect(page.locator('#q-TRAIN_02').isHidden()).resolves.toBe(true);
        await root.getByLabel('No', { exact: true }).check();
        await page.locator('#q-TRAIN_02').waitFor({ state: 'visible' });
        expected.set(q.code, { value: false, notApplicable: false });
        continue;
      }
      if (q.allowNotApplicable && q.required) {
        await root.getByLabel('Not applicable').check();
        expected.set(q.code, { value: null, notApplicable: true });
        continue;
      }
      if (q.type === 'MULTI_CHOICE' && q.options!.some((o) => o.exclusive) && !exclusiveChecked) {
        // An exclusive option clears the others, and another option clears it again.
        const exclusive = q.options!.find((o) => o.exclusive)!;
        const plain = q.options!.find((o) => !o.exclusive)!;
        await root.locator(`input[value="${plain.code}"]`).check();
        await root.locator(`input[value="${exclusive.code}"]`).check();
        expect(await root.locator(`input[value="${plain.code}"]`).isChecked()).toBe(false);
        await root.locator(`input[value="${plain.code}"]`).check();
        expect(await root.locator(`input[value="${exclusive.code}"]`).isChecked()).toBe(false);
        await root.locator(`input[value="${plain.code}"]`).uncheck();
        exclusiveChecked = true;
      }
      if (!wentOffline && index > half + 5 && q.type === 'LIKERT') {
        // Offline: the answer is kept, shown as not saved yet, and saved once back online.
        await waitSaved(page);
        await context.setOffline(true);
        expected.set(q.code, await answer(page, q, index));
        await page.locator('#save-status[data-state="unsaved"]').waitFor({ timeout: 10000 });
        expect(await page.locator('#save-status').textContent()).toContain('Not saved yet');
        await context.setOffline(false);
        await waitSaved(page);
        wentOffline = true;
        continue;
      }
      if (q.code === 'PYR_AUTO_02') {
        await root.locator('input[value="STATUS"]').check();
        expected.set(q.code, { value: ['STATUS'], notApplicable: false });
        continue;
      }
      expected.set(q.code, await answer(page, q, index));
    }
    expect(reloaded && wentOffline && exclusiveChecked).toBe(true);
    await waitSaved(page);
    expect(await noHorizontalScroll(page)).toBe(true);

    // Two tabs: an older answer held back in the first tab does not beat the later one of the second.
    const target = questions.find((q) => q.type === 'LIKERT' && expected.has(q.code))!;
    const tab2 = await context.newPage();
    await tab2.goto(pageUrl);
    await tab2.locator(`#q-${target.code}`).waitFor();
    await page.route('**/graphql', (route) => route.abort());
    await page.locator(`label[for="${target.code}-1"]`).click();
    await page.locator('#save-status[data-state="unsaved"]').waitFor({ timeout: 10000 });
    await tab2.locator(`label[for="${target.code}-5"]`).click();
    await waitSaved(tab2);
    await page.unroute('**/graphql');
    await waitSaved(page);
    await poll(() => page.locator(`#${target.code}-5`).isChecked(), true);
    expected.set(target.code, { value: 5, notApplicable: false });
    await tab2.close();

    // Submitting with a required question unanswered names it and takes the respondent there.
    const last = questions
      .filter((q) => q.required && q.type === 'LIKERT' && typeof expected.get(q.code)?.value === 'number')
      .at(-1)!;
    const lastAnswer = expected.get(last.code)!;
    // Clear it through the API as another device would, then reload: the page shows it unanswered.
    await graphql(app.url, invitation.token, 'mutation($i: SaveAnswersInput!) { saveAnswers(input: $i) { status } }', {
      i: { answers: [{ question: last.code, value: null, clientSeq: Date.now() + 1000 }] },
    });
    await page.reload();
    await page.locator('#q-LEAD_01').waitFor();
    await page.locator('#submit').click();
    await page.locator('#missing').waitFor({ state: 'visible' });
    expect(await page.locator('#missing a').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#missing a').click();
    const focused = await page.evaluate(() => (globalThis as any).document.activeElement?.closest('.question')?.id);
    expect(focused).toBe(`q-${last.code}`);
    await page.locator(`label[for="${last.code}-${String(lastAnswer.value)}"]`).click();
    await waitSaved(page);
    await page.locator('#submit').click();
    await page.locator('#read-only').waitFor();
    expect(await page.locator('#read-only').textContent()).toContain('submitted');
    expect(await page.locator('input:not([disabled])').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // What is stored is what was clicked.
    const stored = (await graphql(app.url, invitation.token, QUESTIONNAIRE)).questionnaire;
    expect(stored.status).toBe('SUBMITTED');
    const storedMap = new Map(
      stored.answers.map((a: any) => [a.question, { value: a.value, notApplicable: a.notApplicable }]),
    );
    expect(Object.fromEntries(storedMap)).toEqual(Object.fromEntries(expected));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches to Russian from the browser language and with the switch, on a phone width', async () => {
    const { app, firm } = setup;
    const invitation = await inviteToDefaultFramework(app.url, firm.keys.CONSULTANT);
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/r/${invitation.token}`);
    await page.locator('#q-LEAD_01').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('#submit').textContent()).toBe('Отправить ответы');
    const ruText = await page.locator('#t-LEAD_01').textContent();
    expect(ruText).toMatch(/[а-я]/);
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await poll(() => page.locator('#submit').textContent(), 'Submit answers');
    expect(await page.locator('#t-LEAD_01').textContent()).not.toBe(ruText);
    // The choice is remembered.
    await page.reload();
    await page.locator('#q-LEAD_01').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });
});

describe('GET /r/<token> without a working token, and the firm settings it shows', () => {
  const SETTINGS = `mutation($i: UpdateFirmSettingsInput!) { updateFirmSettings(input: $i) { embedOrigins brandColor brandTextColor logoUrl } }`;

  it('names an unknown, revoked or expired link, and nothing else', async () => {
    const { app, firm } = setup;
    const unknown = await fetch(`${app.url}/r/ssr_${'A'.repeat(43)}`, { headers: { 'accept-language': 'en' } });
    expect(unknown.status).toBe(404);
    const unknownBody = await unknown.text();
    expect(unknownBody).toContain('This link is not valid');
    expect(unknown.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${app.url}/r/nonsense`)).status).toBe(404);

    const revoked = await inviteToDefaultFramework(app.url, firm.keys.CONSULTANT, {
      organisation: 'Revoked Org',
      title: 'Secret title',
    });
    await graphql(
      app.url,
      firm.keys.CONSULTANT,
      'mutation($id: ID!) { revokeRespondentToken(respondentId: $id) { id } }',
      { id: revoked.respondentId },
    );
    const revokedPage = await fetch(`${app.url}/r/${revoked.token}`, {
      headers: { 'accept-language': 'ru-RU,ru;q=0.9' },
    });
    expect(revokedPage.status).toBe(404);
    const revokedBody = await revokedPage.text();
    expect(revokedBody).toContain('Ссылка недействительна');
    expect(revokedBody).not.toContain('Secret title');
    expect(revokedBody).not.toContain('Revoked Org');

    const expired = await inviteToDefaultFramework(app.url, firm.keys.CONSULTANT, {
      organisation: 'Expired Org',
      title: 'Secret title',
    });
    await app.running.database.dataSource.query(
      "UPDATE respondent SET token_expires_at = now() - interval '1 second' WHERE id = $1",
      [expired.respondentId],
    );
    const expiredPage = await fetch(`${app.url}/r/${expired.token}`, { headers: { 'accept-language': 'en' } });
    expect(expiredPage.status).toBe(410);
    const expiredBody = await expiredPage.text();
    expect(expiredBody).toContain('This link has expired');
    expect(expiredBody).not.toContain('Secret title');
    expect(expiredBody).not.toContain(firm.name);
  });

  it('validates, normalises and applies embed origins, the brand colour and the logo', async () => {
    const { app, firm } = setup;
    const bad = await app.gql(
      SETTINGS,
      {
        i: {
          embedOrigins: ['http://portal.example.com', 'https://*.example.com', 'https://x.example.com/path'],
          brandColor: 'blue',
          logo: Buffer.from('<svg onload="alert(1)"/>').toString('base64'),
        },
      },
      firm.auth.ADMIN,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.problems.map((p: any) => p.path)).toEqual([
      'input.embedOrigins[0]',
      'input.embedOrigins[1]',
      'input.embedOrigins[2]',
      'input.brandColor',
      'input.logo',
    ]);
    const consultant = await app.gql(SETTINGS, { i: { brandColor: '#fff' } }, firm.auth.CONSULTANT);
    expect(consultant.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // A 1×1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const ok = await app.gql(
      SETTINGS,
      {
        i: {
          embedOrigins: [
            'https://Portal.Example.com:443/',
            'https://portal.example.com',
            'https://intranet.example.org:8443',
          ],
          brandColor: '#FFD700',
          logo: `data:image/png;base64,${png.toString('base64')}`,
        },
      },
      firm.auth.ADMIN,
    );
    expect(ok.errors).toBeUndefined();
    const settings = ok.data.updateFirmSettings;
    expect(settings).toMatchObject({
      embedOrigins: ['https://portal.example.com', 'https://intranet.example.org:8443'],
      brandColor: '#ffd700',
      brandTextColor: '#000000',
    });
    expect(settings.logoUrl).toMatch(new RegExp(`^${app.config.publicUrl}/logos/${firm.firmId}/[0-9a-f]{64}$`));
    const logoPath = new URL(settings.logoUrl).pathname;
    const logo = await fetch(`${app.url}${logoPath}`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await logo.arrayBuffer()).equals(png)).toBe(true);

    const invitation = await inviteToDefaultFramework(app.url, firm.keys.CONSULTANT, { organisation: 'Branded Org' });
    const page = await fetch(`${app.url}/r/${invitation.token}`);
    expect(page.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://portal.example.com https://intranet.example.org:8443",
    );
    const html = await page.text();
    expect(html).toContain(`src="${logoPath}"`);
    expect(html).toContain('data-brand="#ffd700" data-brand-text="#000000"');

    // Removing them: "" clears the colour and the logo, [] the origins.
    const cleared = await app.gql(SETTINGS, { i: { embedOrigins: [], brandColor: '', logo: '' } }, firm.auth.ADMIN);
    expect(cleared.data.updateFirmSettings).toEqual({
      embedOrigins: [],
      brandColor: null,
      brandTextColor: null,
      logoUrl: null,
    });
    expect((await fetch(`${app.url}${logoPath}`)).status).toBe(404);
  });

  it('keeps the link token out of the request log line', () => {
    expect(redactPageToken(`/r/ssr_${'a'.repeat(43)}`)).toBe('/r/[token]');
    expect(redactPageToken(`/r/ssr_${'a'.repeat(43)}?x=1`)).toBe('/r/[token]?x=1');
    expect(redactPageToken('/graphql')).toBe('/graphql');
  });
});
