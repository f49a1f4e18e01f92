import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** The roles of an API key, as GraphQL sees them (same strings as stored). */
export enum ApiKeyRoleValue {
  ADMIN = 'ADMIN',
  CONSULTANT = 'CONSULTANT',
  VIEWER = 'VIEWER',
}
registerEnumType(ApiKeyRoleValue, {
  name: 'ApiKeyRole',
  description: 'What a key may do. ADMIN ⊃ CONSULTANT ⊃ VIEWER.',
  valuesConfig: {
    ADMIN: { description: 'Everything, plus managing API keys and firm settings.' },
    CONSULTANT: { description: 'Reading, plus managing organisations, frameworks and assessments.' },
    VIEWER: { description: 'Reading only.' },
  },
});

@ObjectType('Firm', { description: 'A consulting firm: the tenant that owns every other object.' })
export class FirmNode {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'Takes part in the shared, anonymous benchmark pool across firms.' })
  sharesBenchmarks: boolean;

  @Field(() => [String], {
    description:
      'Origins allowed to show the respondent page in an iframe (its Content-Security-Policy frame-ancestors).',
  })
  embedOrigins: string[];

  @Field(() => String, { nullable: true, description: 'The brand colour of the respondent page ("#rrggbb").' })
  brandColor: string | null;

  // `brandTextColor` and `logoUrl` are field resolvers of FirmResolver.

  @Field(() => [String], {
    description:
      "Web origins (e.g. https://portal.example.com) whose pages may call the API from a browser with this firm's keys (CORS). See docs/cors.md.",
  })
  corsOrigins: string[];

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType('ApiKey', {
  description: 'An API key of the firm. The secret itself is shown only once, when the key is created.',
})
export class ApiKeyNode {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => ApiKeyRoleValue)
  role: ApiKeyRoleValue;

  @Field({ description: 'The first characters of the key, to tell keys apart.' })
  prefix: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Last request made with the key (updated at most once a minute).' })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; a revoked key is refused.' })
  revokedAt: Date | null;
}

@ObjectType('CreatedApiKey', { description: 'A new API key and its secret.' })
export class CreatedApiKeyNode {
  @Field(() => ApiKeyNode)
  apiKey: ApiKeyNode;

  @Field({ description: 'The key to send as "Authorization: Bearer <secret>". Shown only this once: store it now.' })
  secret: string;
}

@ObjectType('Me', { description: 'The caller: its firm and the key it authenticated with.' })
export class MeNode {
  @Field(() => FirmNode)
  firm: FirmNode;

  @Field(() => ApiKeyRoleValue, { description: 'The role of the key used for this request.' })
  role: ApiKeyRoleValue;

  @Field(() => ApiKeyNode, { description: 'The key used for this request.' })
  apiKey: ApiKeyNode;
}
