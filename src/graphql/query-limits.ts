import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from './page-size';

/** The limits one operation is checked against before any resolver runs. */
export interface QueryLimits {
  /** Deepest field nesting (a root field is depth 1). */
  maxDepth: number;
  /** Fields with an alias, counted over the whole operation (fragments expanded). */
  maxAliases: number;
  /** Fields selected at the root of the operation (fragments expanded). */
  maxRootFields: number;
  /** The estimated cost (see {@link estimateCost}). */
  maxCost: number;
}

/** The codes a client sees for an operation over a limit. */
export type QueryLimitCode = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_ROOT_FIELDS' | 'QUERY_TOO_COSTLY';
export const QUERY_LIMIT_CODES: readonly QueryLimitCode[] = [
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'QUERY_TOO_COSTLY',
];

/**
 * Extra cost of a field by the type it returns: the result is computed or read from many
 * rows (a live result scores every response; a benchmark aggregates a cohort).
 */
export const TYPE_WEIGHTS: Readonly<Record<string, number>> = {
  AssessmentResult: 20,
  Benchmark: 50,
  AssessmentHistoryEntry: 10,
  LatestResult: 5,
};

/** A list without a `first` argument is counted as this many items. */
export const DEFAULT_LIST_SIZE = 10;

// `edges`/`nodes` of a connection: the items are already counted by the connection's `first`.
const CONNECTION_ITEM_FIELDS = new Set(['edges', 'nodes']);

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/**
 * Measures an operation: depth, aliases, root fields and cost. Fragment spreads are expanded
 * (a fragment's measure is remembered per parent type); a spread of a fragment that is being
 * expanded (a cycle, which validation reports anyway) counts as nothing, so it cannot hang.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
): Measure & { rootFields: number } {
  const memo = new Map<string, Measure>();
  const expanding = new Set<string>();

  const argumentFirst = (node: FieldNode, field: GraphQLField<unknown, unknown> | undefined): number | null => {
    const def = field?.args.find((a) => a.name === 'first');
    if (!def) return null;
    const arg = node.arguments?.find((a) => a.name.value === 'first');
    if (!arg) return typeof def.defaultValue === 'number' ? Math.max(1, def.defaultValue) : MAX_PAGE_SIZE;
    // A variable is not known during validation: counted as the largest page it could ask for.
    const value = arg.value.kind === Kind.VARIABLE ? undefined : valueFromAST(arg.value, def.type);
    return typeof value === 'number' && Number.isFinite(value)
      ? Math.min(MAX_PAGE_SIZE, Math.max(1, value))
      : MAX_PAGE_SIZE;
  };

  const selectionSet = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType | undefined,
    introspection: boolean,
  ): Measure => {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    const add = (m: Measure) => {
      depth = Math.max(depth, m.depth);
      aliases += m.aliases;
      cost += m.cost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(fieldMeasure(selection, parent, introspection));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        add(selectionSet(selection.selectionSet, isCompositeType(type) ? type : undefined, introspection));
      } else {
        const name = selection.name.value;
        const fragment = fragments(name);
        if (!fragment || expanding.has(name)) continue;
        const key = `${name}\u0000${introspection ? 1 : 0}`;
        let m = memo.get(key);
        if (!m) {
          expanding.add(name);
          const type = schema.getType(fragment.typeCondition.name.value);
          m = selectionSet(fragment.selectionSet, isCompositeType(type) ? type : undefined, introspection);
          expanding.delete(name);
          memo.set(key, m);
        }
        add(m);
      }
    }
    return { depth, aliases, cost };
  };

  const fieldMeasure = (
    node: FieldNode,
    parent: GraphQLCompositeType | undefined,
    introspectionAbove: boolean,
  ): Measure => {
    const name = node.name.value;
    const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    const introspection = introspectionAbove || name.startsWith('__');
    const aliases = node.alias ? 1 : 0;
    if (!node.selectionSet) return { depth: 1, aliases, cost: introspection ? 0 : 1 };
    const returnType = field ? getNamedType(field.type) : undefined;
    const child = selectionSet(node.selectionSet, isCompositeType(returnType) ? returnType : undefined, introspection);
    if (introspection) return { depth: child.depth + 1, aliases: aliases + child.aliases, cost: 0 };
    let multiplier = 1;
    const first = argumentFirst(node, field);
    if (first !== null) multiplier = first;
    else if (
      field &&
      isListType(getNullableType(field.type)) &&
      !(CONNECTION_ITEM_FIELDS.has(name) && parent?.name.endsWith('Connection'))
    ) {
      multiplier = DEFAULT_LIST_SIZE;
    }
    const weight = returnType ? (TYPE_WEIGHTS[returnType.name] ?? 0) : 0;
    return { depth: child.depth + 1, aliases: aliases + child.aliases, cost: 1 + multiplier * (weight + child.cost) };
  };

  const rootType = schema.getRootType(operation.operation) ?? undefined;
  let rootFields = 0;
  const countRoot = (set: SelectionSetNode, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) rootFields += 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) countRoot(s.selectionSet, seen);
      else if (!seen.has(s.name.value)) {
        const fragment = fragments(s.name.value);
        if (fragment) countRoot(fragment.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  countRoot(operation.selectionSet, new Set());
  return { ...selectionSet(operation.selectionSet, rootType, false), rootFields };
}

/** An operation over one of the limits (Apollo wraps it as a validation error; formatError restores its code). */
export class QueryLimitError extends GraphQLError {
  constructor(
    readonly code: QueryLimitCode,
    message: string,
    node: OperationDefinitionNode,
    readonly actual: number,
    readonly limit: number,
  ) {
    super(message, { nodes: [node], extensions: { code, limit, actual } });
  }
}

function limitError(
  code: QueryLimitCode,
  message: string,
  node: OperationDefinitionNode,
  actual: number,
  limit: number,
): GraphQLError {
  return new QueryLimitError(code, message, node, actual, limit);
}

/**
 * A graphql validation rule that refuses an operation over any of `limits`, each with its
 * own `extensions.code`, `limit` and `actual`. Apollo answers a validation error with HTTP
 * 400 before any resolver runs.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    // On entering, before the other rules walk the operation (graphql's own overlap check can
    // abort validation on a huge selection, and the client should still learn which limit it broke).
    OperationDefinition: {
      enter(operation) {
        const m = measureOperation(context.getSchema(), operation, (name) => context.getFragment(name));
        const label = operation.name ? `Operation "${operation.name.value}"` : 'The operation';
        if (m.depth > limits.maxDepth) {
          context.reportError(
            limitError(
              'QUERY_TOO_DEEP',
              `${label} is nested ${m.depth} fields deep; the limit is ${limits.maxDepth}.`,
              operation,
              m.depth,
              limits.maxDepth,
            ),
          );
        }
        if (m.aliases > limits.maxAliases) {
          context.reportError(
            limitError(
              'TOO_MANY_ALIASES',
              `${label} has ${m.aliases} aliases; the limit is ${limits.maxAliases}.`,
              operation,
              m.aliases,
              limits.maxAliases,
            ),
          );
        }
        if (m.rootFields > limits.maxRootFields) {
          context.reportError(
            limitError(
              'TOO_MANY_ROOT_FIELDS',
              `${label} selects ${m.rootFields} root fields; the limit is ${limits.maxRootFields}.`,
              operation,
              m.rootFields,
              limits.maxRootFields,
            ),
          );
        }
        if (m.cost > limits.maxCost) {
          context.reportError(
            limitError(
              'QUERY_TOO_COSTLY',
              `${label} has an estimated cost of ${m.cost}; the limit is ${limits.maxCost}. Ask for fewer items (first) or fewer results and benchmarks per request.`,
              operation,
              m.cost,
              limits.maxCost,
            ),
          );
        }
      },
    },
  });
}
