import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** Languages of names and texts; the values are the codes the framework documents use. */
export enum Locale {
  EN = 'en',
  RU = 'ru',
}
registerEnumType(Locale, { name: 'Locale', description: 'Language of names and texts: EN (English) or RU (Russian).' });

/** Employee-count bands of an organisation; the values are what the database stores. */
export enum SizeBand {
  S1_9 = '1-9',
  S10_49 = '10-49',
  S50_249 = '50-249',
  S250_999 = '250-999',
  S1000_PLUS = '1000+',
}
registerEnumType(SizeBand, {
  name: 'SizeBand',
  description: 'Number of employees.',
  valuesConfig: {
    S1_9: { description: '1 to 9 employees' },
    S10_49: { description: '10 to 49 employees' },
    S50_249: { description: '50 to 249 employees' },
    S250_999: { description: '250 to 999 employees' },
    S1000_PLUS: { description: '1000 employees or more' },
  },
});

@ObjectType({ description: 'An industry: a section of ISIC Rev. 4 (A..U).' })
export class Industry {
  @Field({ description: 'Section letter, A..U.' })
  code: string;

  @Field({ description: 'Official title of the section in the requested locale.' })
  name: string;
}
