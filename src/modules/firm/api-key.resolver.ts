import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from './auth';
import { issueApiKey, listApiKeys, revokeApiKey } from './api-key.service';
import { ApiKeyNode, CreatedApiKeyNode } from './firm.types';
import { CreateApiKeyInput } from './firm.inputs';

@Resolver()
export class ApiKeyResolver {
  @Query(() => [ApiKeyNode], { description: "The firm's API keys, oldest first, revoked ones included. ADMIN." })
  async apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKeyNode[]> {
    const principal = await requireRole(ctx, 'ADMIN');
    return (await listApiKeys(principal, ctx.dataSource)) as ApiKeyNode[];
  }

  @Mutation(() => CreatedApiKeyNode, {
    description: 'Creates an API key; its secret is in the answer and never shown again. ADMIN.',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedApiKeyNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return (await issueApiKey(principal, ctx.dataSource, input)) as CreatedApiKeyNode;
  }

  @Mutation(() => ApiKeyNode, {
    description:
      'Revokes an API key (the one in use too): every later request with it is UNAUTHENTICATED. CONFLICT if already revoked. ADMIN.',
  })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKeyNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return (await revokeApiKey(principal, ctx.dataSource, id)) as ApiKeyNode;
  }
}
