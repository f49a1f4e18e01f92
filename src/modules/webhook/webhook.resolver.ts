import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import {
  CreateWebhookEndpointInput,
  RotateWebhookSecretArgs,
  UpdateWebhookEndpointInput,
  WebhookDeliveriesArgs,
} from './webhook.inputs';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from './webhook.service';
import { WebhookDeliveryNode, WebhookEndpointNode, WebhookEndpointSecretNode } from './webhook.types';

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpointNode], { description: "The firm's webhook endpoints, oldest first. ADMIN." })
  async webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpointNode[]> {
    const principal = await requireRole(ctx, 'ADMIN');
    return listWebhookEndpoints(principal, ctx.dataSource);
  }

  @Query(() => WebhookEndpointNode, { description: 'One webhook endpoint of the firm. ADMIN.' })
  async webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpointNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return getWebhookEndpoint(principal, ctx.dataSource, id);
  }

  @Query(() => [WebhookDeliveryNode], {
    description: "An endpoint's deliveries, newest first, each with its attempts. ADMIN.",
  })
  async webhookDeliveries(
    @Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryNode[]> {
    const principal = await requireRole(ctx, 'ADMIN');
    return listWebhookDeliveries(principal, ctx.dataSource, args);
  }

  @Mutation(() => WebhookEndpointSecretNode, {
    description: 'Registers a webhook endpoint; its signing secret is in the answer and never shown again. ADMIN.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointSecretNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return createWebhookEndpoint(principal, ctx.dataSource, ctx.allowPrivateWebhooks, input);
  }

  @Mutation(() => WebhookEndpointNode, {
    description: 'Changes a webhook endpoint: URL, events, description, enabled. ADMIN.',
  })
  async updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return updateWebhookEndpoint(principal, ctx.dataSource, ctx.allowPrivateWebhooks, input);
  }

  @Mutation(() => ID, { description: 'Deletes a webhook endpoint with its deliveries; returns its id. ADMIN.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    const principal = await requireRole(ctx, 'ADMIN');
    return deleteWebhookEndpoint(principal, ctx.dataSource, id);
  }

  @Mutation(() => WebhookEndpointSecretNode, {
    description:
      'Gives an endpoint a new signing secret (shown only in the answer); the old one also signs for graceSeconds. ADMIN.',
  })
  async rotateWebhookSecret(
    @Args(() => RotateWebhookSecretArgs) args: RotateWebhookSecretArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointSecretNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return rotateWebhookSecret(principal, ctx.dataSource, args.id, args.graceSeconds);
  }

  @Mutation(() => WebhookDeliveryNode, {
    description: "Sends a delivery's event to its endpoint again, as a new delivery. ADMIN.",
  })
  async redeliverWebhook(
    @Arg('deliveryId', () => ID) deliveryId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryNode> {
    const principal = await requireRole(ctx, 'ADMIN');
    return redeliverWebhook(principal, ctx.dataSource, deliveryId);
  }
}
