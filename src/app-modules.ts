import type { GraphQLSchema } from 'graphql';
import type { ClassType, NonEmptyArray } from 'type-graphql';
import { buildGraphQLSchema, printGraphQLSchema } from './graphql/schema';
import { AnswerRow } from './modules/respondent/answer.entity';
import { AnsweringResolver, SaveAnswersPayloadResolver } from './modules/respondent/answering.resolver';
import { AssessmentResultRow } from './modules/result/assessment-result.entity';
import { Assessment } from './modules/assessment/assessment.entity';
import { AssessmentResolver } from './modules/assessment/assessment.resolver';
import { HistoryResolver } from './modules/result/history.resolver';
import { Respondent } from './modules/respondent/respondent.entity';
import { RespondentResolver } from './modules/respondent/respondent.resolver';
import {
  AssessmentResultFieldsResolver,
  OrganisationResultFieldsResolver,
  ResultResolver,
} from './modules/result/result.resolver';
import { BenchmarkScore } from './modules/benchmark/benchmark-score.entity';
import { BenchmarkResolver } from './modules/benchmark/benchmark.resolver';
import { ApiKey } from './modules/firm/api-key.entity';
import { ApiKeyResolver } from './modules/firm/api-key.resolver';
import { Firm } from './modules/firm/firm.entity';
import { FirmResolver } from './modules/firm/firm.resolver';
import { FrameworkVersion } from './modules/framework/framework-version.entity';
import { FrameworkResolver } from './modules/framework/framework.resolver';
import { Organisation } from './modules/organisation/organisation.entity';
import { OrganisationResolver } from './modules/organisation/organisation.resolver';
import { ReferenceResolver } from './modules/reference/reference.resolver';
import { ReportShareLink } from './modules/report/report-share-link.entity';
import { ReportResolver, ResultReportFieldsResolver } from './modules/report/report.resolver';
import { SystemResolver } from './modules/system/system.resolver';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent } from './modules/webhook/webhook.entity';
import { WebhookResolver } from './modules/webhook/webhook.resolver';

// The one place that knows every domain: src/db and src/graphql are handed these lists, so
// infrastructure never imports a domain module (an ESLint rule keeps it so).

/** Every entity of the application; the DataSource and the migration check use this list. */
export const ENTITIES: ClassType[] = [
  Firm,
  ApiKey,
  Organisation,
  FrameworkVersion,
  Assessment,
  Respondent,
  AnswerRow,
  AssessmentResultRow,
  BenchmarkScore,
  ReportShareLink,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
  WebhookAttempt,
];

/** Every resolver class of the API. */
export const RESOLVERS: NonEmptyArray<ClassType> = [
  SystemResolver,
  AssessmentResolver,
  RespondentResolver,
  AnsweringResolver,
  SaveAnswersPayloadResolver,
  FrameworkResolver,
  ResultResolver,
  OrganisationResultFieldsResolver,
  AssessmentResultFieldsResolver,
  HistoryResolver,
  FirmResolver,
  ApiKeyResolver,
  ReferenceResolver,
  OrganisationResolver,
  BenchmarkResolver,
  ReportResolver,
  ResultReportFieldsResolver,
  WebhookResolver,
];

/** The API's executable schema, built once per process. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildGraphQLSchema(RESOLVERS);
}

/** The SDL of the API, as committed in schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  return printGraphQLSchema(await buildAppSchema());
}
