import { Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import type { Connection } from '../../graphql/pagination';
import { FrameworkArgs, FrameworkIdArgs, FrameworksArgs, ImportFrameworkArgs } from './framework.inputs';
import {
  deleteFrameworkDraft,
  exportFramework,
  frameworkContent,
  getFramework,
  importFramework,
  listFrameworks,
  publishFramework,
  retireFramework,
} from './framework.service';
import {
  FrameworkConnection,
  FrameworkDimension,
  FrameworkGroup,
  FrameworkLevel,
  FrameworkQuestion,
  FrameworkRecommendation,
  FrameworkSettings,
  FrameworkType,
  type FrameworkView,
} from './framework.types';

@Resolver(() => FrameworkType)
export class FrameworkResolver {
  @Query(() => FrameworkConnection, {
    description:
      'The framework versions your firm can use or manage: built-in and own published versions and your own drafts (retired ones on request). Ordered by key, newest version first. VIEWER.',
  })
  async frameworks(@Args() args: FrameworksArgs, @Ctx() ctx: RequestContext): Promise<Connection<FrameworkView>> {
    const principal = await requireRole(ctx, 'VIEWER');
    return ctx.reads.run(principal.firmId, (db) => listFrameworks(principal, db, args));
  }

  @Query(() => FrameworkType, {
    description: 'One framework version with its whole content, texts in `locale`. VIEWER.',
  })
  async framework(@Args() { id, locale }: FrameworkArgs, @Ctx() ctx: RequestContext): Promise<FrameworkView> {
    const principal = await requireRole(ctx, 'VIEWER');
    return getFramework(principal, ctx.dataSource, id, locale);
  }

  @Query(() => GraphQLJSONObject, {
    description:
      'The framework document exactly as stored (the import format), to edit and import as a new version or elsewhere. VIEWER.',
  })
  async exportFramework(@Args() { id }: FrameworkIdArgs, @Ctx() ctx: RequestContext): Promise<object> {
    const principal = await requireRole(ctx, 'VIEWER');
    return exportFramework(principal, ctx.dataSource, id);
  }

  @Mutation(() => FrameworkType, {
    description:
      'Validates a framework document and stores it as a DRAFT of your firm (replacing a draft with the same key and version). Problems come back as BAD_USER_INPUT with paths under `document`. CONSULTANT.',
  })
  async importFramework(
    @Args() { document, locale }: ImportFrameworkArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<FrameworkView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return importFramework(principal, ctx.dataSource, document, locale);
  }

  @Mutation(() => FrameworkType, {
    description: 'DRAFT → PUBLISHED: usable for assessments, never changes again. CONSULTANT.',
  })
  async publishFramework(@Args() { id, locale }: FrameworkArgs, @Ctx() ctx: RequestContext): Promise<FrameworkView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return publishFramework(principal, ctx.dataSource, id, locale);
  }

  @Mutation(() => FrameworkType, {
    description: 'PUBLISHED → RETIRED: no new assessments on it (existing ones keep it). CONSULTANT.',
  })
  async retireFramework(@Args() { id, locale }: FrameworkArgs, @Ctx() ctx: RequestContext): Promise<FrameworkView> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return retireFramework(principal, ctx.dataSource, id, locale);
  }

  @Mutation(() => ID, { description: 'Deletes a DRAFT of your firm; returns its id. CONSULTANT.' })
  async deleteFrameworkDraft(@Args() { id }: FrameworkIdArgs, @Ctx() ctx: RequestContext): Promise<string> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return deleteFrameworkDraft(principal, ctx.dataSource, id);
  }

  @FieldResolver(() => [FrameworkGroup])
  async groups(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkGroup[]> {
    return (await frameworkContent(ctx, view)).groups;
  }

  @FieldResolver(() => [FrameworkDimension])
  async dimensions(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkDimension[]> {
    return (await frameworkContent(ctx, view)).dimensions;
  }

  @FieldResolver(() => [FrameworkLevel], { description: 'Maturity levels, lowest first.' })
  async levels(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkLevel[]> {
    return (await frameworkContent(ctx, view)).levels;
  }

  @FieldResolver(() => FrameworkSettings)
  async settings(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkSettings> {
    return (await frameworkContent(ctx, view)).settings;
  }

  @FieldResolver(() => [FrameworkQuestion], { description: 'In questionnaire order.' })
  async questions(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkQuestion[]> {
    return (await frameworkContent(ctx, view)).questions;
  }

  @FieldResolver(() => [FrameworkRecommendation], { description: 'Recommendation templates.' })
  async recommendations(@Root() view: FrameworkView, @Ctx() ctx: RequestContext): Promise<FrameworkRecommendation[]> {
    return (await frameworkContent(ctx, view)).recommendations;
  }
}
