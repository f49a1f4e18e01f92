import { ArgsType, Field, InputType } from 'type-graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../../graphql/pagination';
import { OptionalSegmentInput } from '../reference/segment.inputs';
import { SizeBand } from '../reference/reference.types';
import {
  HasNoControlCharacters,
  IsCountryCode,
  IsIsicSection,
  IsNotBlank,
  MaxTrimmedLength,
} from '../reference/reference.validators';

@InputType({ description: 'A new client organisation.' })
export class CreateOrganisationInput {
  @Field(() => String, { description: '1..200 characters; spaces around it are dropped.' })
  @IsString()
  @IsNotBlank()
  @MaxTrimmedLength(200)
  @HasNoControlCharacters()
  name: string;

  @Field(() => String, { description: 'ISIC Rev. 4 section letter A..U (see `industries`).' })
  @IsString()
  @IsIsicSection()
  industry: string;

  @Field(() => SizeBand)
  @IsEnum(SizeBand)
  sizeBand: SizeBand;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. DE (any case).' })
  @IsString()
  @IsCountryCode()
  country: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Leave the organisation out of benchmark cohorts.',
  })
  @IsOptional()
  @IsBoolean()
  excludedFromBenchmarks?: boolean | null;
}

@InputType({ description: 'Changes to an organisation; fields left out (or null) stay as they are.' })
export class UpdateOrganisationInput extends OptionalSegmentInput {
  @Field(() => String, { nullable: true, description: '1..200 characters.' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxTrimmedLength(200)
  @HasNoControlCharacters()
  name?: string | null;
}

@InputType({ description: 'Which organisations to list; all conditions must hold.' })
export class OrganisationFilter extends OptionalSegmentInput {
  @Field(() => String, { nullable: true, description: 'Part of the name, any case (% and _ match themselves).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @HasNoControlCharacters()
  nameContains?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Include archived organisations.' })
  @IsOptional()
  @IsBoolean()
  includeArchived?: boolean | null;
}

@ArgsType()
export class OrganisationsArgs extends PageArgs {
  @Field(() => OrganisationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: OrganisationFilter | null;
}
