import { createTestFirm, type TestFirm } from './fixtures';
import {
  createAssessmentViaApi,
  defaultFrameworkId,
  insertOrganisation,
  inviteViaApi,
  tokenAuth,
} from './assessment-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** One invited respondent of a new assessment. */
export interface TestRespondent {
  assessmentId: string;
  respondentId: string;
  token: string;
  /** Headers that send the respondent's link token. */
  auth: Record<string, string>;
}

/** A running test server with a firm, one organisation and the default framework. */
export interface AnsweringSetup {
  app: TestApp;
  firm: TestFirm;
  orgId: string;
  frameworkId: string;
  /** A new assessment (OPEN unless said otherwise) with one invited respondent. */
  respondent(options?: { open?: boolean; role?: string }): Promise<TestRespondent>;
}

/** Starts the server and creates what the answering tests start from. */
export async function startAnsweringSetup(organisationName: string): Promise<AnsweringSetup> {
  const app = await startTestApp();
  const ds = app.running.database.dataSource;
  const firm = await createTestFirm(ds);
  const frameworkId = await defaultFrameworkId(ds);
  const orgId = await insertOrganisation(ds, firm.firmId, organisationName);
  let n = 0;
  return {
    app,
    firm,
    orgId,
    frameworkId,
    async respondent(options = {}) {
      const assessmentId = await createAssessmentViaApi(
        app,
        firm.auth.CONSULTANT,
        { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Service review' },
        { open: options.open },
      );
      const [r] = await inviteViaApi(app, firm.auth.CONSULTANT, assessmentId, [
        { name: 'Анна', email: `anna${++n}@example.com`, role: options.role ?? 'EXECUTIVE' },
      ]);
      return { assessmentId, respondentId: r.id, token: r.token, auth: tokenAuth(r.token) };
    },
  };
}
