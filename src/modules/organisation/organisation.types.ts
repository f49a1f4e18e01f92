import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../graphql/pagination';
import { SizeBand } from '../reference/reference.types';

@ObjectType('Organisation', { description: "A firm's client organisation: what assessments are about." })
export class OrganisationNode {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  // `industry(locale)` is resolved by OrganisationResolver from the stored section letter.
  industry: string;

  @Field(() => SizeBand)
  sizeBand: SizeBand;

  @Field({ description: 'ISO 3166-1 alpha-2 country code, upper case.' })
  country: string;

  @Field({ description: 'Left out of every benchmark cohort (its own results can still be compared with peers).' })
  excludedFromBenchmarks: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'Set while the organisation is archived (hidden from lists by default).',
  })
  archivedAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Int, { description: 'Grows by one with every change; pass it as `expectedVersion` to update safely.' })
  version: number;
}

export const OrganisationConnection = ConnectionType(OrganisationNode, 'Organisation');
