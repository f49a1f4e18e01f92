import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole } from '../firm/auth';
import type { RequestContext } from '../../graphql/context';
import { AssessmentResultType } from '../result/result.types';
import { Locale } from '../reference/reference.types';
import type { ReportShareLink } from './report-share-link.entity';
import {
  createShareLink,
  listShareLinks,
  reportUrl,
  revokeShareLink,
  shareLinkState,
  shareLinkUrl,
} from './report.service';
import { CreatedReportShareLink, ReportShareLinkNode, ReportShareLinkStatus } from './report.types';

function node(link: ReportShareLink): ReportShareLinkNode {
  return {
    id: link.id,
    assessmentId: link.assessmentId,
    locale: link.locale as Locale,
    prefix: link.prefix,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    revokedAt: link.revokedAt,
    status: shareLinkState(link) as ReportShareLinkStatus,
  };
}

@Resolver()
export class ReportResolver {
  @Query(() => [ReportShareLinkNode], {
    description: "The assessment's report share links, newest first (expired and revoked ones included). CONSULTANT.",
  })
  async reportShareLinks(
    @Arg('assessmentId', () => ID) assessmentId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportShareLinkNode[]> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await listShareLinks(ctx, principal, assessmentId)).map(node);
  }

  @Mutation(() => CreatedReportShareLink, {
    description:
      "Creates a link that opens a CLOSED assessment's report (page and PDF) without an API key until expiresAt (at most 366 days ahead). " +
      'The token is in the answer only. CONFLICT unless CLOSED. CONSULTANT.',
  })
  async createReportShareLink(
    @Arg('assessmentId', () => ID) assessmentId: string,
    @Arg('expiresAt', () => Date, { description: 'When the link stops working (in the future).' }) expiresAt: Date,
    @Arg('locale', () => Locale, {
      nullable: true,
      defaultValue: Locale.EN,
      description: 'Language the link opens the report in (default EN).',
    })
    locale: Locale | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedReportShareLink> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    const { link, token } = await createShareLink(ctx, principal, {
      assessmentId,
      expiresAt,
      locale: locale ?? Locale.EN,
    });
    return { shareLink: node(link), token, url: shareLinkUrl(ctx.publicUrl, link, token) };
  }

  @Mutation(() => ReportShareLinkNode, {
    description: 'Revokes a share link: it no longer opens the report (410). CONFLICT if already revoked. CONSULTANT.',
  })
  async revokeReportShareLink(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportShareLinkNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return node(await revokeShareLink(ctx, principal, id));
  }
}

@Resolver(() => AssessmentResultType)
export class ResultReportFieldsResolver {
  @FieldResolver(() => String, {
    description:
      "The report page of this result in the result's locale, opened with an API key in the Authorization header (the PDF: .pdf after the id, or Accept: application/pdf). " +
      'For an OPEN assessment it shows the live provisional result, marked as such; share it with createReportShareLink once CLOSED.',
  })
  reportUrl(@Root() result: AssessmentResultType, @Ctx() ctx: RequestContext): string {
    return reportUrl(ctx.publicUrl, result.assessmentId, result.locale);
  }
}
