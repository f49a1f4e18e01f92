import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import type { Connection } from '../../graphql/pagination';
import { AssessmentsArgs, CreateAssessmentInput, UpdateAssessmentInput } from './assessment.inputs';
import { organisationLoader, respondentCountsLoader } from './assessment.loaders';
import { OrganisationNode } from '../organisation/organisation.types';
import {
  cancelAssessment,
  closeAssessment,
  createAssessment,
  getAssessment,
  listAssessments,
  openAssessment,
  updateAssessment,
} from './assessment.service';
import { AssessmentConnection, AssessmentNode, RespondentCountsNode, type AssessmentView } from './assessment.types';

@Resolver(() => AssessmentNode)
export class AssessmentResolver {
  @Query(() => AssessmentNode, { description: 'One assessment of the firm (NOT_FOUND for any other id). VIEWER.' })
  async assessment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getAssessment(principal, ctx.dataSource, id);
  }

  @Query(() => AssessmentConnection, { description: "The firm's assessments, newest first. VIEWER." })
  async assessments(
    @Args(() => AssessmentsArgs) args: AssessmentsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<AssessmentView>> {
    const principal = await requireRole(ctx, 'VIEWER');
    return ctx.reads.run(principal.firmId, (db) => listAssessments(principal, db, args));
  }

  @Mutation(() => AssessmentNode, {
    description:
      'Creates a DRAFT assessment of an organisation on a PUBLISHED framework version (a DRAFT or RETIRED one is CONFLICT). CONSULTANT.',
  })
  async createAssessment(
    @Arg('input', () => CreateAssessmentInput) input: CreateAssessmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return createAssessment(principal, ctx.dataSource, input);
  }

  @Mutation(() => AssessmentNode, {
    description: 'Changes the title, due date or role weights of a DRAFT or OPEN assessment. CONSULTANT.',
  })
  async updateAssessment(
    @Arg('input', () => UpdateAssessmentInput) input: UpdateAssessmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return updateAssessment(principal, ctx.dataSource, input);
  }

  @Mutation(() => AssessmentNode, {
    description: 'DRAFT → OPEN: respondents can answer. CONFLICT from any other state. CONSULTANT.',
  })
  async openAssessment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return openAssessment(principal, ctx.dataSource, id);
  }

  @Mutation(() => AssessmentNode, {
    description:
      'OPEN → CLOSED: computes and stores the result from the submitted responses; answers become read-only. CONSULTANT.',
  })
  async closeAssessment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return closeAssessment(principal, ctx.dataSource, id);
  }

  @Mutation(() => AssessmentNode, {
    description: 'DRAFT or OPEN → CANCELLED: no result; answers become read-only. CONSULTANT.',
  })
  async cancelAssessment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<AssessmentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return cancelAssessment(principal, ctx.dataSource, id);
  }

  @FieldResolver(() => OrganisationNode, { description: 'The organisation assessed.' })
  async organisation(@Root() assessment: AssessmentView, @Ctx() ctx: RequestContext): Promise<OrganisationNode> {
    const organisation = await organisationLoader(ctx, assessment.firmId).load(assessment.organisationId);
    // The foreign key keeps the organisation while the assessment exists.
    if (!organisation)
      throw new Error(`organisation ${assessment.organisationId} of assessment ${assessment.id} is missing`);
    return organisation as OrganisationNode;
  }

  @FieldResolver(() => RespondentCountsNode, {
    description: 'How many respondents are invited, in progress and submitted.',
  })
  async respondentCounts(
    @Root() assessment: AssessmentView,
    @Ctx() ctx: RequestContext,
  ): Promise<RespondentCountsNode> {
    return respondentCountsLoader(ctx, assessment.firmId).load(assessment.id);
  }
}
