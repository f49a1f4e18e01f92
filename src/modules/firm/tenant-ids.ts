const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a string of the uuid form. Ids of every other form name nothing, so services
 * answer NOT_FOUND for them without asking the database (which would reject the cast).
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
