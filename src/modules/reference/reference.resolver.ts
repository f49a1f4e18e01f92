import { Arg, Query, Resolver } from 'type-graphql';
import { listIndustries } from './reference.service';
import { Industry, Locale } from './reference.types';

@Resolver()
export class ReferenceResolver {
  @Query(() => [Industry], { description: 'The industry code list (ISIC Rev. 4 sections A..U). Public: needs no key.' })
  industries(@Arg('locale', () => Locale, { defaultValue: Locale.EN }) locale: Locale): Industry[] {
    return listIndustries(locale);
  }
}
