import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageArgs } from '../../graphql/pagination';
import { FrameworkStatus, Locale } from './framework.types';

@InputType({ description: 'Narrows the list of frameworks.' })
export class FrameworkFilter {
  @Field(() => String, { nullable: true, description: 'Only versions of this key.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  key?: string | null;

  @Field(() => FrameworkStatus, {
    nullable: true,
    description: 'Only versions in this status (RETIRED lists retired ones whatever includeRetired says).',
  })
  @IsOptional()
  @IsEnum(FrameworkStatus)
  status?: FrameworkStatus | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also list retired versions.' })
  @IsOptional()
  @IsBoolean()
  includeRetired?: boolean | null;
}

@ArgsType()
export class FrameworksArgs extends PageArgs {
  @Field(() => FrameworkFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: FrameworkFilter | null;

  @Field(() => Locale, {
    defaultValue: Locale.EN,
    description: 'Language of the texts; one that is empty falls back to the other language.',
  })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;
}

@ArgsType()
export class FrameworkArgs {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => Locale, {
    defaultValue: Locale.EN,
    description: 'Language of the texts; one that is empty falls back to the other language.',
  })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;
}

@ArgsType()
export class FrameworkIdArgs {
  @Field(() => ID)
  @IsString()
  id: string;
}

@ArgsType()
export class ImportFrameworkArgs {
  @Field(() => GraphQLJSONObject, {
    description: 'A framework document in the interchange format (as `exportFramework` returns it).',
  })
  document: Record<string, unknown>;

  @Field(() => Locale, { defaultValue: Locale.EN, description: 'Language of the texts of the answer.' })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;
}
