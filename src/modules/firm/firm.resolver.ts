import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from './auth';
import { getMe, updateFirmSettings } from './firm.service';
import { FirmNode, MeNode } from './firm.types';
import { UpdateFirmSettingsInput } from './firm.inputs';

@Resolver()
export class FirmResolver {
  @Query(() => MeNode, { description: 'The caller: its firm, role and key. Any role.' })
  async me(@Ctx() ctx: RequestContext): Promise<MeNode> {
    const principal = await requireRole(ctx, 'VIEWER');
    return (await getMe(principal, ctx.dataSource)) as MeNode;
  }

  @Mutation(() => FirmNode, { description: "Changes the caller's firm settings. ADMIN." })
  async updateFirmSettings(@Arg('input', () => UpdateFirmSettingsInput) input: UpdateFirmSettingsInput, @Ctx() ctx: RequestContext): Promise<FirmNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return updateFirmSettings(principal, ctx.dataSource, input);
  }
}
