import type { AssessmentResult } from '../../scoring/result-types';

/** What the assessment events tell of the assessment (docs/webhooks.md lists the fields). */
export interface AssessmentEventSource {
  id: string;
  organisationId: string;
  frameworkVersionId: string;
  frameworkKey: string;
  frameworkVersion: string;
  title: string;
  status: string;
  openedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** `data` of assessment.opened, assessment.closed (with `result`) and assessment.cancelled. */
export function assessmentEventData(view: AssessmentEventSource, result?: AssessmentResult): Record<string, unknown> {
  const data: Record<string, unknown> = {
    assessment: {
      id: view.id,
      organisationId: view.organisationId,
      frameworkVersionId: view.frameworkVersionId,
      frameworkKey: view.frameworkKey,
      frameworkVersion: view.frameworkVersion,
      title: view.title,
      status: view.status,
      openedAt: iso(view.openedAt),
      closedAt: iso(view.closedAt),
      cancelledAt: iso(view.cancelledAt),
    },
  };
  if (result) {
    data.result = {
      overallScore: result.overall.score,
      overallLevel: result.overall.level,
      overallLevelCode: result.overall.levelCode,
      knockoutCapped: result.overall.knockoutCapped,
      respondentCount: result.respondentCount,
    };
  }
  return data;
}
