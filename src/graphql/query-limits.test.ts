import { buildSchema, parse, validate, type FragmentDefinitionNode, type OperationDefinitionNode, Kind } from 'graphql';
import { measureOperation, queryLimitsRule } from './query-limits';

const schema = buildSchema(`
  type Query { me: Me! assessments(first: Int = 20): AssessmentConnection! tags: [String!]! assessment(id: ID!): Assessment! }
  type Me { role: String! firm: Firm! }
  type Firm { name: String! }
  type AssessmentConnection { edges: [AssessmentEdge!]! totalCount: Int! }
  type AssessmentEdge { node: Assessment! }
  type Assessment { id: ID! result: AssessmentResult benchmark: Benchmark! }
  type AssessmentResult { score: Float! dimensions: [Dimension!]! }
  type Dimension { code: String! }
  type Benchmark { n: Int! }
`);

function measure(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return measureOperation(schema, operation, (name) => fragments.get(name));
}

describe('measureOperation', () => {
  it('counts depth, aliases and root fields, fragments and inline fragments expanded', () => {
    expect(measure('{ me { role } }')).toEqual({ depth: 2, aliases: 0, rootFields: 1, cost: 2 });
    expect(
      measure(
        '{ a: me { ...M } ... on Query { b: me { firm { name } } } } fragment M on Me { r: role ...F } fragment F on Me { firm { name } }',
      ),
    ).toEqual({
      depth: 3,
      aliases: 3,
      rootFields: 2,
      cost: 7,
    });
  });

  it('weights lists by first (a variable as the largest page), other lists by 10, results and benchmarks by their type', () => {
    // assessments: 1 + 20 × (edges 1 + node 1 + id 1)
    expect(measure('{ assessments { edges { node { id } } } }').cost).toBe(1 + 20 * 3);
    expect(measure('{ assessments(first: 5) { totalCount } }').cost).toBe(1 + 5);
    expect(measure('query ($n: Int) { assessments(first: $n) { totalCount } }').cost).toBe(1 + 100);
    // result: 1 + (20 + score 1 + dimensions (1 + 10 × 1))
    expect(measure('{ assessment(id: "x") { result { score dimensions { code } } } }').cost).toBe(
      1 + (1 + 20 + 1 + 11),
    );
    expect(measure('{ assessment(id: "x") { benchmark { n } } }').cost).toBe(1 + (1 + 50 + 1));
    expect(measure('{ tags }').cost).toBe(1);
  });

  it('counts introspection for depth but not for cost', () => {
    expect(measure('{ __schema { types { fields { name } } } }')).toMatchObject({ depth: 4, cost: 0 });
  });

  it('ends on a fragment cycle', () => {
    expect(
      measure('{ me { ...A } } fragment A on Me { role ...B } fragment B on Me { firm { name } ...A }'),
    ).toMatchObject({ depth: 3 });
  });

  it('reports each limit with its code through validate()', () => {
    const rule = queryLimitsRule({ maxDepth: 2, maxAliases: 1, maxRootFields: 1, maxCost: 3 });
    const errors = validate(schema, parse('{ a: me { firm { name } } b: me { role } }'), [rule]);
    expect(errors.map((e) => e.extensions.code)).toEqual([
      'QUERY_TOO_DEEP',
      'TOO_MANY_ALIASES',
      'TOO_MANY_ROOT_FIELDS',
      'QUERY_TOO_COSTLY',
    ]);
    expect(errors[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 2, actual: 3 });
  });
});
