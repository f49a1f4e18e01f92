import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from './auth';
import { getMe, updateFirmSettings } from './firm.service';
import { FirmNode, MeNode } from './firm.types';
import { UpdateFirmSettingsInput } from './firm.inputs';
import type { Firm } from './firm.entity';
import { logoPath, textColorOn } from './firm-branding';

@Resolver(() => FirmNode)
export class FirmResolver {
  @Query(() => MeNode, { description: 'The caller: its firm, role and key. Any role.' })
  async me(@Ctx() ctx: RequestContext): Promise<MeNode> {
    const principal = await requireRole(ctx, 'VIEWER');
    return (await getMe(principal, ctx.dataSource)) as MeNode;
  }

  @Mutation(() => FirmNode, { description: "Changes the caller's firm settings. ADMIN." })
  async updateFirmSettings(
    @Arg('input', () => UpdateFirmSettingsInput) input: UpdateFirmSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<FirmNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    const firm = await updateFirmSettings(principal, ctx.dataSource, input);
    // This process's preflights see the new origins at once; other processes within their cache's lifetime.
    if (input.corsOrigins != null) ctx.cors?.invalidate();
    return firm;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The text colour used on the brand colour: white or black, whichever contrasts more (at least 4.5:1).',
  })
  brandTextColor(@Root() firm: Firm): string | null {
    return firm.brandColor ? textColorOn(firm.brandColor) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Where this server serves the firm’s logo (PUBLIC_URL based; it changes with the image).',
  })
  logoUrl(@Root() firm: Firm, @Ctx() ctx: RequestContext): string | null {
    return firm.logoSha256 ? `${ctx.publicUrl}${logoPath(firm.id, firm.logoSha256)}` : null;
  }
}
