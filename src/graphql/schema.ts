import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { SystemResolver } from '../modules/system/system.resolver';
import { AssessmentResolver } from '../modules/assessment/assessment.resolver';
import { RespondentResolver } from '../modules/assessment/respondent.resolver';
import { AnsweringResolver, SaveAnswersPayloadResolver } from '../modules/assessment/answering.resolver';
import { FrameworkResolver } from '../modules/framework/framework.resolver';
import { AssessmentResultFieldsResolver, OrganisationResultFieldsResolver, ResultResolver } from '../modules/assessment/result.resolver';
import { HistoryResolver } from '../modules/assessment/history.resolver';
import { BenchmarkResolver } from '../modules/benchmark/benchmark.resolver';
import { FirmResolver } from '../modules/firm/firm.resolver';
import { ApiKeyResolver } from '../modules/firm/api-key.resolver';
import { ReferenceResolver } from '../modules/reference/reference.resolver';
import { OrganisationResolver } from '../modules/organisation/organisation.resolver';
import { ReportResolver, ResultReportFieldsResolver } from '../modules/report/report.resolver';
import { WebhookResolver } from '../modules/webhook/webhook.resolver';
import { cacheValidationMetadata } from './validation-metadata-cache';
import { validateArgument } from './validate-argument';

/** Every resolver class of the API. */
export const RESOLVERS: NonEmptyArray<Function> = [SystemResolver, AssessmentResolver, RespondentResolver, AnsweringResolver, SaveAnswersPayloadResolver, FrameworkResolver, ResultResolver, OrganisationResultFieldsResolver, AssessmentResultFieldsResolver, HistoryResolver, FirmResolver, ApiKeyResolver, ReferenceResolver, OrganisationResolver, BenchmarkResolver, ReportResolver, ResultReportFieldsResolver, WebhookResolver];

let cached: Promise<GraphQLSchema> | null = null;

/** Builds the executable schema once per process (type-graphql metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cacheValidationMetadata();
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    // class-validator on every argument, as `validate: { forbidUnknownValues: false }` would.
    validateFn: validateArgument,
  });
  return cached;
}

/** The SDL of the schema, as committed in schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  const sdl = printSchema(lexicographicSortSchema(await buildAppSchema()));
  return `# Emitted by \`npm run schema:emit\` from the code-first schema. Do not edit by hand.\n\n${sdl}\n`;
}
