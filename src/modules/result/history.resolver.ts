import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { requireRole } from '../firm/auth';
import type { RequestContext } from '../../graphql/context';
import { Locale } from '../reference/reference.types';
import { OrganisationHistoryArgs } from './history.inputs';
import { getOrganisationHistory } from './history.service';
import { AssessmentHistoryEntryType } from './history.types';

@Resolver()
export class HistoryResolver {
  @Query(() => [AssessmentHistoryEntryType], {
    description:
      "An organisation's assessments, oldest first, with stored scores of the CLOSED ones and each dimension's change since the previous " +
      'CLOSED assessment on the same framework. Needs a VIEWER key.',
  })
  async organisationAssessmentHistory(
    @Args() args: OrganisationHistoryArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentHistoryEntryType[]> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getOrganisationHistory(
      ctx,
      principal,
      args.organisationId,
      args.frameworkKey ?? null,
      args.locale ?? Locale.EN,
    );
  }
}
