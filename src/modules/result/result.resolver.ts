import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { requireRole } from '../firm/auth';
import type { RequestContext } from '../../graphql/context';
import { OrganisationNode } from '../organisation/organisation.types';
import { AssessmentNode } from '../assessment/assessment.types';
import { Locale } from '../reference/reference.types';
import { AssessmentResultArgs } from './result.inputs';
import { getAssessmentResult, getLatestResult, getResultOfAssessment } from './result.service';
import { AssessmentResultType, LatestResultType } from './result.types';

@Resolver(() => AssessmentResultType)
export class ResultResolver {
  @Query(() => AssessmentResultType, {
    description:
      'The result of an assessment: the stored result of a CLOSED one (never recomputed), a live provisional result of an OPEN one. ' +
      'DRAFT and CANCELLED assessments have none (CONFLICT). Needs a VIEWER key.',
  })
  async assessmentResult(
    @Args() args: AssessmentResultArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentResultType> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getAssessmentResult(ctx, principal, args.assessmentId, args.locale ?? Locale.EN);
  }
}

@Resolver(() => OrganisationNode)
export class OrganisationResultFieldsResolver {
  @FieldResolver(() => LatestResultType, {
    nullable: true,
    description:
      "The overall result of the organisation's most recently closed assessment (any framework); null when none is closed.",
  })
  async latestResult(
    @Root() organisation: OrganisationNode,
    @Ctx() ctx: RequestContext,
  ): Promise<LatestResultType | null> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getLatestResult(ctx, principal, organisation.id);
  }
}

@Resolver(() => AssessmentNode)
export class AssessmentResultFieldsResolver {
  @FieldResolver(() => AssessmentResultType, {
    nullable: true,
    description:
      'The stored result when CLOSED, a live provisional result when OPEN, null when DRAFT or CANCELLED (see `assessmentResult`). ' +
      'Batched: a page of assessments reads its results in one query.',
  })
  async result(
    @Root() assessment: AssessmentNode,
    @Arg('locale', () => Locale, {
      nullable: true,
      defaultValue: Locale.EN,
      description: 'Language of the texts (default EN).',
    })
    locale: Locale | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentResultType | null> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getResultOfAssessment(ctx, principal, assessment.id, locale ?? Locale.EN);
  }
}
