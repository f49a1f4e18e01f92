import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import type { FrameworkDocument, QuestionDocument } from '../src/modules/framework/framework-document';
import { FRAMEWORK_LIMITS } from '../src/modules/framework/framework-document.dto';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);

/** The minimal fixture grown to the maximum number of questions, each with the maximum number of options. */
function largeFramework(): FrameworkDocument {
  const doc = structuredClone(MINIMAL);
  doc.key = 'large-framework';
  const questions: QuestionDocument[] = [];
  for (let i = 0; i < FRAMEWORK_LIMITS.questions; i++) {
    questions.push({
      code: `Q_${i}`,
      type: 'SINGLE_CHOICE',
      text: {
        ru: `Вопрос номер ${i}: ${'как у вас устроен сервис? '.repeat(8)}`,
        en: `Question number ${i}: ${'how does your service work? '.repeat(8)}`,
      },
      source: '003_1a2bb4c73bb626b0: strategic approach led from the top',
      links: [{ dimension: i % 2 ? 'LEADERSHIP' : 'BASICS', weight: 1 }],
      required: false,
      allowNotApplicable: true,
      options: Array.from({ length: FRAMEWORK_LIMITS.options }, (_, k) => ({
        code: `O_${k}`,
        score: (k * 2) % 101,
        label: { ru: `Вариант ${k}`, en: `Option ${k}` },
      })),
    });
  }
  doc.questions = questions;
  doc.recommendations = doc.recommendations.filter((r) => !r.question);
  return doc;
}

describe('a framework at the size limits', () => {
  let app: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('imports, reads in both locales and exports unchanged', async () => {
    const doc = largeFramework();
    const imported = await app.gql(
      'mutation($d: JSONObject!) { importFramework(document: $d) { id questionCount } }',
      { d: doc },
      firm.auth.CONSULTANT,
    );
    expect(imported.errors).toBeUndefined();
    const { id, questionCount } = imported.data.importFramework;
    expect(questionCount).toBe(FRAMEWORK_LIMITS.questions);

    const read =
      'query($id: ID!, $l: Locale) { framework(id: $id, locale: $l) { questions { code text options { code score label } } dimensions { code } } }';
    for (const locale of ['EN', 'RU'] as const) {
      const res = await app.gql(read, { id, l: locale }, firm.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      const questions = res.data.framework.questions;
      expect(questions).toHaveLength(FRAMEWORK_LIMITS.questions);
      expect(questions[499].options).toHaveLength(FRAMEWORK_LIMITS.options);
      expect(questions[499].options[7]).toEqual({
        code: 'O_7',
        score: 14,
        label: locale === 'EN' ? 'Option 7' : 'Вариант 7',
      });
      expect(questions[3].text).toBe(locale === 'EN' ? doc.questions[3].text.en : doc.questions[3].text.ru);
    }

    const exported = await app.gql('query($id: ID!) { exportFramework(id: $id) }', { id }, firm.auth.VIEWER);
    expect(exported.errors).toBeUndefined();
    expect(exported.data.exportFramework).toEqual(doc);
  });
});
