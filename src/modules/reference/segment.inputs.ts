import { Field, InputType } from 'type-graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { SizeBand } from './reference.types';
import { IsCountryCode, IsIsicSection } from './reference.validators';

/**
 * The optional segment fields of an organisation (industry, size band, country), shared by
 * the organisation update, the organisation list filter and the benchmark cohort.
 */
// Not referenced by any field, so it is not emitted: only its subclasses are.
@InputType()
export abstract class OptionalSegmentInput {
  @Field(() => String, { nullable: true, description: 'ISIC Rev. 4 section letter A..U (see `industries`).' })
  @IsOptional()
  @IsString()
  @IsIsicSection()
  industry?: string | null;

  @Field(() => SizeBand, { nullable: true })
  @IsOptional()
  @IsEnum(SizeBand)
  sizeBand?: SizeBand | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, e.g. DE (any case).' })
  @IsOptional()
  @IsString()
  @IsCountryCode()
  country?: string | null;
}
