import { AnswerRow } from '../modules/assessment/answer.entity';
import { AssessmentResultRow } from '../modules/assessment/assessment-result.entity';
import { Assessment } from '../modules/assessment/assessment.entity';
import { Respondent } from '../modules/assessment/respondent.entity';
import { BenchmarkScore } from '../modules/benchmark/benchmark-score.entity';
import { ApiKey } from '../modules/firm/api-key.entity';
import { Firm } from '../modules/firm/firm.entity';
import { FrameworkVersion } from '../modules/framework/framework-version.entity';
import { Organisation } from '../modules/organisation/organisation.entity';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent } from '../modules/webhook/webhook.entity';
import { ReportShareLink } from '../modules/report/report-share-link.entity';

/** Every entity of the application; the DataSource and the migration check use this list. */
export const ENTITIES = [Firm, ApiKey, Organisation, FrameworkVersion, Assessment, Respondent, AnswerRow, AssessmentResultRow, BenchmarkScore, ReportShareLink, WebhookEndpoint, WebhookEvent, WebhookDelivery, WebhookAttempt];
