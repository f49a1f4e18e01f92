import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import { InviteRespondentsInput } from './respondent.inputs';
import { respondentProgressLoader } from './respondent.loaders';
import {
  inviteRespondents,
  listRespondents,
  reissueRespondentToken,
  removeRespondent,
  revokeRespondentToken,
  type InvitationView,
} from './respondent.service';
import { respondentPageUrl } from '../respondent-page/respondent-page.paths';
import { InvitationNode, RespondentNode, RespondentProgressNode, type RespondentView } from './respondent.types';

/** An invitation with the link of the respondent's page. */
function withUrl(invitation: InvitationView, ctx: RequestContext): InvitationNode {
  return { ...invitation, url: respondentPageUrl(ctx.publicUrl, invitation.token) };
}

@Resolver(() => RespondentNode)
export class RespondentResolver {
  @Query(() => [RespondentNode], {
    description: 'The respondents of one of the firm’s assessments, in invitation order, with progress. VIEWER.',
  })
  async respondents(
    @Arg('assessmentId', () => ID) assessmentId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RespondentView[]> {
    const principal = await requireRole(ctx, 'VIEWER');
    return listRespondents(principal, ctx.dataSource, assessmentId);
  }

  @Mutation(() => [InvitationNode], {
    description:
      'Invites 1..500 people to a DRAFT or OPEN assessment. Each invitation carries the respondent’s link token, shown only in this answer. CONSULTANT.',
  })
  async inviteRespondents(
    @Arg('input', () => InviteRespondentsInput) input: InviteRespondentsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationNode[]> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await inviteRespondents(principal, ctx.dataSource, input)).map((invitation) => withUrl(invitation, ctx));
  }

  @Mutation(() => RespondentNode, {
    description: 'Revokes a respondent’s link token at once. CONFLICT when none is active. CONSULTANT.',
  })
  async revokeRespondentToken(
    @Arg('respondentId', () => ID) respondentId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RespondentView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return revokeRespondentToken(principal, ctx.dataSource, respondentId);
  }

  @Mutation(() => InvitationNode, {
    description:
      'Issues a new link token (shown once) while the assessment is DRAFT or OPEN; the old token stops working at once. CONSULTANT.',
  })
  async reissueRespondentToken(
    @Arg('respondentId', () => ID) respondentId: string,
    @Arg('expiresAt', () => Date, {
      nullable: true,
      description: 'Default: 7 days after the due date, or 90 days from now.',
    })
    expiresAt: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InvitationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return withUrl(await reissueRespondentToken(principal, ctx.dataSource, respondentId, expiresAt), ctx);
  }

  @Mutation(() => ID, {
    description: 'Removes a respondent who has not submitted, with their answers; returns the id. CONSULTANT.',
  })
  async removeRespondent(
    @Arg('respondentId', () => ID) respondentId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return removeRespondent(principal, ctx.dataSource, respondentId);
  }

  @FieldResolver(() => Boolean, { description: 'True while the link token works (issued, not revoked, not expired).' })
  tokenActive(@Root() respondent: RespondentView): boolean {
    return (
      !respondent.tokenRevokedAt &&
      respondent.tokenExpiresAt !== null &&
      respondent.tokenExpiresAt.getTime() > Date.now()
    );
  }

  @FieldResolver(() => RespondentProgressNode)
  async progress(@Root() respondent: RespondentView, @Ctx() ctx: RequestContext): Promise<RespondentProgressNode> {
    return respondentProgressLoader(ctx, respondent.firmId).load(respondent);
  }
}
