import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type ClassType, type NonEmptyArray } from 'type-graphql';
import { cacheValidationMetadata } from './validation-metadata-cache';
import { validateArgument } from './validate-argument';

const built = new Map<readonly ClassType[], Promise<GraphQLSchema>>();

/**
 * Builds the executable schema of `resolvers` once per process and list (type-graphql's
 * metadata is global, so building again only repeats the work).
 */
export function buildGraphQLSchema(resolvers: NonEmptyArray<ClassType>): Promise<GraphQLSchema> {
  cacheValidationMetadata();
  let schema = built.get(resolvers);
  if (!schema) {
    schema = buildSchema({
      resolvers,
      // class-validator on every argument, as `validate: { forbidUnknownValues: false }` would.
      validateFn: validateArgument,
    });
    built.set(resolvers, schema);
  }
  return schema;
}

/** The SDL of a schema as committed in schema/schema.graphql: sorted, with a header. */
export function printGraphQLSchema(schema: GraphQLSchema): string {
  const sdl = printSchema(lexicographicSortSchema(schema));
  return `# Emitted by \`npm run schema:emit\` from the code-first schema. Do not edit by hand.\n\n${sdl}\n`;
}
