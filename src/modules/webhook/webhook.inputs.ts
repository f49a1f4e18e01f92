import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { HasNoControlCharacters, MaxTrimmedLength } from '../reference/reference.validators';
import { WebhookEventType } from './webhook-events';
import { WebhookDeliveryStatus } from './webhook.types';

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({
    description:
      'An https:// URL of a public host (http:// and private addresses only where the operator allows them).',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @Field(() => [WebhookEventType], { description: 'The events to receive (at least one).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEnum(WebhookEventType, { each: true })
  events: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What it is for; up to 200 characters.' })
  @IsOptional()
  @IsString()
  @MaxTrimmedLength(200)
  @HasNoControlCharacters()
  description?: string | null;
}

@InputType({ description: 'Changes to an endpoint; fields left out (or null) stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEnum(WebhookEventType, { each: true })
  events?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxTrimmedLength(200)
  @HasNoControlCharacters()
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'False stops sending (new events are not recorded for it; waiting deliveries wait); true sends what waited, in order.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;
}

@ArgsType()
export class RotateWebhookSecretArgs {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => Int, {
    defaultValue: 86400,
    description:
      'Seconds during which the old secret still signs too (every delivery then carries both signatures); 0 drops it at once. At most 7 days.',
  })
  @IsInt()
  @Min(0)
  @Max(7 * 86400)
  graceSeconds: number;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID)
  @IsString()
  endpointId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus | null;

  @Field(() => Int, { defaultValue: 20, description: 'The newest this many, 1..100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number;
}
