import 'reflect-metadata';
import { IsInt, IsString, MaxLength, Min, getMetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

function failedProperties(object: object, groups?: string[]): string[] {
  return validateSync(object, { forbidUnknownValues: false, groups })
    .map(
      (e) =>
        `${e.property}:${Object.keys(e.constraints ?? {})
          .sort()
          .join('+')}`,
    )
    .sort();
}

class Base {
  @IsString()
  name: unknown = 1;
}

class Child extends Base {
  @Min(0)
  count: unknown = -1;

  @MaxLength(3, { groups: ['strict'] })
  code: unknown = 'abcdef';
}

describe('cacheValidationMetadata', () => {
  const storage = getMetadataStorage();
  const uncachedBefore = failedProperties(new Child());

  beforeAll(() => {
    cacheValidationMetadata();
    cacheValidationMetadata(); // a second call must not wrap twice
  });

  it('gives the same answers as the uncached lookup, with inherited rules and groups', () => {
    // Without groups, class-validator applies the grouped rule too.
    expect(uncachedBefore).toEqual(['code:maxLength', 'count:min', 'name:isString']);
    expect(failedProperties(new Child())).toEqual(uncachedBefore);
    expect(failedProperties(new Child())).toEqual(uncachedBefore);
    expect(failedProperties(new Child(), ['strict'])).toEqual(['code:maxLength']);
    expect(failedProperties(new Base())).toEqual(['name:isString']);
  });

  it('answers a repeated lookup from memory', () => {
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['strict'])).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('groups a remembered list by property once, and any other list anew', () => {
    const list = storage.getTargetValidationMetadatas(Child, '', false, false);
    const grouped = storage.groupByPropertyName(list);
    expect(Object.keys(grouped).sort()).toEqual(['code', 'count', 'name']);
    expect(grouped.name.map((m) => m.target)).toEqual([Base]);
    expect(storage.groupByPropertyName(list)).toBe(grouped);
    expect(Object.isFrozen(grouped) && Object.isFrozen(grouped.count)).toBe(true);
    const copy = [...list];
    const regrouped = storage.groupByPropertyName(copy);
    expect(regrouped).not.toBe(grouped);
    expect(regrouped).toEqual(grouped);
  });

  it('forgets what it remembered when rules are registered later', () => {
    const before = storage.getTargetValidationMetadatas(Child, '', false, false);
    class Late {
      @IsInt()
      n: unknown = 'x';
    }
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).not.toBe(before);
    expect(failedProperties(new Late())).toEqual(['n:isInt']);
    // A rule added to a base class after its subclass was validated reaches the subclass.
    IsInt()(Base.prototype, 'extra');
    const child = Object.assign(new Child(), { extra: 'no' });
    expect(failedProperties(child)).toEqual(['code:maxLength', 'count:min', 'extra:isInt', 'name:isString']);
  });
});
