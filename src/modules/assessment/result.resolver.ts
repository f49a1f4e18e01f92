import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { requireRole } from '../../graphql/auth';
import type { RequestContext } from '../../graphql/context';
import { Locale } from '../reference/reference.types';
import { AssessmentResultArgs } from './result.inputs';
import { getAssessmentResult } from './result.service';
import { AssessmentResultType } from './result.types';

@Resolver(() => AssessmentResultType)
export class ResultResolver {
  @Query(() => AssessmentResultType, {
    description:
      'The result of an assessment: the stored result of a CLOSED one (never recomputed), a live provisional result of an OPEN one. ' +
      'DRAFT and CANCELLED assessments have none (CONFLICT). Needs a VIEWER key.',
  })
  async assessmentResult(@Args() args: AssessmentResultArgs, @Ctx() ctx: RequestContext): Promise<AssessmentResultType> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getAssessmentResult(ctx, principal, args.assessmentId, args.locale ?? Locale.EN);
  }
}
