import { Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { APP_VERSION } from '../../version';

export enum DatabaseMode {
  EMBEDDED = 'EMBEDDED',
  POSTGRES = 'POSTGRES',
}
registerEnumType(DatabaseMode, { name: 'DatabaseMode', description: 'Which PostgreSQL the server runs on.' });

@ObjectType({ description: 'What this server is and runs on.' })
export class ServerInfo {
  @Field({ description: 'Version of the API build.' })
  version: string;

  @Field(() => DatabaseMode)
  database: DatabaseMode;

  @Field({ description: 'Version of the scoring method (docs/scoring.md).' })
  scoringMethod: string;
}

@Resolver()
export class SystemResolver {
  @Query(() => ServerInfo, { description: 'Public facts about the server; needs no key.' })
  serverInfo(@Ctx() ctx: RequestContext): ServerInfo {
    return {
      version: APP_VERSION,
      database: ctx.databaseMode === 'embedded' ? DatabaseMode.EMBEDDED : DatabaseMode.POSTGRES,
      scoringMethod: '1',
    };
  }
}
