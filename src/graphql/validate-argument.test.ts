import 'reflect-metadata';
import { IsInt, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { validateArgument } from './validate-argument';

class Item {
  @MaxLength(3)
  code?: string;

  @Min(0)
  count?: number;
}

class Wrapper {
  @ValidateNested()
  items: Item[];

  @IsInt()
  total?: number;
}

function item(values: Partial<Item>): Item {
  return Object.assign(new Item(), values);
}

async function rejection(value: unknown): Promise<ArgumentValidationError> {
  try {
    await validateArgument(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentValidationError);
    return error as ArgumentValidationError;
  }
  throw new Error('expected a rejection');
}

describe('validateArgument', () => {
  it('accepts a valid input, leaving out properties that were not sent', async () => {
    await expect(validateArgument(item({ code: 'abc' }))).resolves.toBeUndefined();
    await expect(
      validateArgument(Object.assign(new Wrapper(), { items: [item({ count: 1 })] })),
    ).resolves.toBeUndefined();
  });

  it('accepts an input of a class without rules (forbidUnknownValues is off, as type-graphql sets it)', async () => {
    class Plain {
      note?: string;
    }
    await expect(validateArgument(Object.assign(new Plain(), { note: 'x' }))).resolves.toBeUndefined();
    await expect(validateArgument(new Date())).resolves.toBeUndefined();
  });

  it('leaves scalars, null and undefined alone', async () => {
    for (const value of [null, undefined, 'text', 42, true])
      await expect(validateArgument(value)).resolves.toBeUndefined();
  });

  it('names every broken rule, nested ones included', async () => {
    const error = await rejection(
      Object.assign(new Wrapper(), { items: [item({ code: 'abcd' }), item({ count: -1 })], total: 1.5 }),
    );
    const failures = error.extensions.validationErrors.map((e) => e.property).sort();
    expect(failures).toEqual(['items', 'total']);
    const nested = error.extensions.validationErrors.find((e) => e.property === 'items');
    expect(
      nested?.children?.map(
        (c) => `${c.property}:${c.children?.map((g) => Object.keys(g.constraints ?? {}).join()).join()}`,
      ),
    ).toEqual(['0:maxLength', '1:min']);
  });

  it('checks each object of a list argument', async () => {
    const error = await rejection([item({ code: 'ok' }), 'not an object', item({ count: -5 })]);
    expect(error.extensions.validationErrors).toHaveLength(1);
    expect(error.extensions.validationErrors[0].constraints).toHaveProperty('min');
  });
});
