import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import type { Connection } from '../../graphql/pagination';
import { industryOf } from '../reference/reference.service';
import { Industry, Locale } from '../reference/reference.types';
import { CreateOrganisationInput, OrganisationsArgs, UpdateOrganisationInput } from './organisation.inputs';
import {
  archiveOrganisation,
  createOrganisation,
  getOrganisation,
  listOrganisations,
  setOrganisationBenchmarkExclusion,
  unarchiveOrganisation,
  updateOrganisation,
} from './organisation.service';
import { OrganisationConnection, OrganisationNode } from './organisation.types';

@Resolver(() => OrganisationNode)
export class OrganisationResolver {
  @Query(() => OrganisationNode, { description: 'One organisation of the firm; NOT_FOUND otherwise. Any role.' })
  async organisation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'VIEWER');
    return (await getOrganisation(principal, ctx.dataSource, id)) as OrganisationNode;
  }

  @Query(() => OrganisationConnection, {
    description: "The firm's organisations by name, then id, a page at a time. Any role.",
  })
  async organisations(
    @Args(() => OrganisationsArgs) args: OrganisationsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<OrganisationNode>> {
    const principal = await requireRole(ctx, 'VIEWER');
    return (await ctx.reads.run(principal.firmId, (db) =>
      listOrganisations(principal, db, args.filter ?? {}, args),
    )) as Connection<OrganisationNode>;
  }

  @Mutation(() => OrganisationNode, { description: 'Creates a client organisation. CONSULTANT.' })
  async createOrganisation(
    @Arg('input', () => CreateOrganisationInput) input: CreateOrganisationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await createOrganisation(principal, ctx.dataSource, input)) as OrganisationNode;
  }

  @Mutation(() => OrganisationNode, {
    description:
      'Changes an organisation. With expectedVersion, CONFLICT if it has changed since that version was read. CONSULTANT.',
  })
  async updateOrganisation(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateOrganisationInput) input: UpdateOrganisationInput,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await updateOrganisation(principal, ctx.dataSource, id, input, expectedVersion)) as OrganisationNode;
  }

  @Mutation(() => OrganisationNode, {
    description: 'Archives an organisation (hidden from lists by default). CONFLICT if already archived. CONSULTANT.',
  })
  async archiveOrganisation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await archiveOrganisation(principal, ctx.dataSource, id)) as OrganisationNode;
  }

  @Mutation(() => OrganisationNode, {
    description: 'Brings an archived organisation back. CONFLICT if it is not archived. CONSULTANT.',
  })
  async unarchiveOrganisation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await unarchiveOrganisation(principal, ctx.dataSource, id)) as OrganisationNode;
  }

  @Mutation(() => OrganisationNode, {
    description: 'Leaves the organisation out of benchmark cohorts (true) or brings it back (false). CONSULTANT.',
  })
  async setOrganisationBenchmarkExclusion(
    @Arg('id', () => ID) id: string,
    @Arg('excluded', () => Boolean) excluded: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<OrganisationNode> {
    const principal = await requireRole(ctx, 'CONSULTANT');
    return (await setOrganisationBenchmarkExclusion(principal, ctx.dataSource, id, excluded)) as OrganisationNode;
  }

  @FieldResolver(() => Industry, { description: 'ISIC Rev. 4 section, named in `locale`.' })
  industry(
    @Root() organisation: OrganisationNode,
    @Arg('locale', () => Locale, { defaultValue: Locale.EN }) locale: Locale,
  ): Industry {
    return industryOf(organisation.industry, locale);
  }
}
