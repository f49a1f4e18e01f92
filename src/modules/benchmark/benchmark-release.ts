/**
 * Stepped releases of shared-pool figures (docs/benchmarking.md, "Differencing").
 *
 * The pool figures a firm sees for a cohort shape (framework key and major, segment filters)
 * are those of the firm's latest release of that shape: the cohort exactly as it was at a
 * point of the pool's change log. A new release is made only when at least k organisations
 * of other firms have a net change in the shape since (they entered, left or changed a
 * score), and of them none or at least k entered or left (`releaseDue`): one organisation's
 * change never shows on its own, not even among small score changes of others. The withholding verdicts that
 * depend on the cohort but not on the subject (how many of its organisations are other
 * firms', and how many the cohorts one filter wider have) are computed at the release and
 * kept with it.
 */
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import {
  computeAggregates,
  POOL_SCOPE_KEY,
  readCounts,
  segmentKey,
  type Adjustment,
  type CohortAggregate,
  type CohortShape,
  type CohortSubject,
  type Queryable,
} from './cohort-engine';
import { releaseDue, type ShapeChanges } from './release-rules';

/** Per value code, what the release's withholding rules need. */
export interface ReleaseVerdict {
  /** Cohort organisations with the value that belong to firms other than the asking firm. */
  nOther: number;
  /** The same count in each broader cohort: every non-empty subset of the filters dropped. */
  parentNOther: number[];
}

/** The figures of a pool cohort as released to the asking firm. */
export interface ReleasedAggregates {
  aggregates: Map<string, CohortAggregate>;
  verdicts: Record<string, ReleaseVerdict>;
  releasedAt: Date;
}

interface PoolEvent {
  code: string;
  score: number;
  delta: number;
  firm_id: string;
  organisation_id: string;
}

/** The key of a pool cohort shape in `benchmark_release`. */
export function shapeKey(shape: CohortShape): string {
  return [shape.frameworkKey, shape.major, ...segmentKey(shape)].join('|');
}

/** The pool's changes in a shape after `seq`. */
async function readEvents(q: Queryable, shape: CohortShape, seq: string): Promise<PoolEvent[]> {
  const params: unknown[] = [shape.frameworkKey, shape.major, seq, shape.codes];
  const where = [
    'framework_key = $1',
    'framework_major = $2',
    'seq > $3::bigint',
    'dimension_code = ANY($4::varchar[])',
  ];
  if (shape.industry) where.push(`industry = $${params.push(shape.industry)}`);
  if (shape.sizeBand) where.push(`size_band = $${params.push(shape.sizeBand)}`);
  if (shape.country) where.push(`country = $${params.push(shape.country)}`);
  const rows = await q.query<PoolEvent[]>(
    `SELECT dimension_code AS code, score, delta, firm_id, organisation_id FROM benchmark_pool_event WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score), delta: Number(r.delta) }));
}

/** A shape's release for the asking firm (if any), the pool's head and the changes since the release. */
interface ReleaseState {
  release: { seq: string; released_at: Date; verdicts: Record<string, ReleaseVerdict> } | null;
  head: string;
  events: PoolEvent[];
}

/** Reads {@link ReleaseState} in one statement. */
async function readReleaseState(q: Queryable, shape: CohortShape, key: string): Promise<ReleaseState> {
  const params: unknown[] = [shape.firmId, key, shape.frameworkKey, shape.major, shape.codes];
  const where = [
    'e.framework_key = $3',
    'e.framework_major = $4',
    'e.seq > r.seq',
    'e.dimension_code = ANY($5::varchar[])',
  ];
  if (shape.industry) where.push(`e.industry = $${params.push(shape.industry)}`);
  if (shape.sizeBand) where.push(`e.size_band = $${params.push(shape.sizeBand)}`);
  if (shape.country) where.push(`e.country = $${params.push(shape.country)}`);
  const [row] = await q.query<
    Array<{
      seq: string | null;
      released_at: Date | null;
      verdicts: Record<string, ReleaseVerdict> | null;
      head: string;
      events: Array<[string, number, number, string, string]> | null;
    }>
  >(
    `SELECT r.seq::text AS seq, r.released_at, r.verdicts,
            coalesce((SELECT seq FROM benchmark_pool_event WHERE framework_key = $3 AND framework_major = $4
                       ORDER BY seq DESC LIMIT 1), 0)::text AS head,
            (SELECT json_agg(json_build_array(e.dimension_code, e.score, e.delta, e.firm_id, e.organisation_id))
               FROM benchmark_pool_event e WHERE ${where.join(' AND ')}) AS events
       FROM (SELECT 1) AS one
       LEFT JOIN benchmark_release r ON r.firm_id = $1 AND r.shape = $2`,
    params,
  );
  return {
    release:
      row.seq !== null && row.released_at !== null && row.verdicts !== null
        ? { seq: row.seq, released_at: row.released_at, verdicts: row.verdicts }
        : null,
    head: row.head,
    events: (row.events ?? []).map(([code, score, delta, firmId, organisationId]) => ({
      code,
      score: Number(score),
      delta: Number(delta),
      firm_id: firmId,
      organisation_id: organisationId,
    })),
  };
}

/**
 * The organisations of firms other than `firmId` that changed in the shape between the two
 * ends of `events`, as R2's trigger counts them: those that entered or left it (for some
 * value), and those still in it with another score. Changes that cancel out, such as leaving
 * and coming back with the same scores, are no change.
 */
export function otherFirmChanges(events: PoolEvent[], firmId: string): ShapeChanges {
  const byScore = new Map<string, number>();
  const byValue = new Map<string, number>();
  for (const e of events) {
    if (e.firm_id === firmId) continue;
    const value = `${e.organisation_id}|${e.code}`;
    byScore.set(`${value}|${e.score}`, (byScore.get(`${value}|${e.score}`) ?? 0) + e.delta);
    byValue.set(value, (byValue.get(value) ?? 0) + e.delta);
  }
  const organisation = (key: string) => key.slice(0, key.indexOf('|'));
  const entered = new Set<string>();
  const left = new Set<string>();
  for (const [key, sum] of byValue) {
    if (sum > 0) entered.add(organisation(key));
    else if (sum < 0) left.add(organisation(key));
  }
  for (const id of entered) left.delete(id);
  const rescored = new Set<string>();
  for (const [key, sum] of byScore) {
    const id = organisation(key);
    if (sum !== 0 && !entered.has(id) && !left.has(id)) rescored.add(id);
  }
  return { entered: entered.size, left: left.size, rescored: rescored.size };
}

/**
 * The cohort's aggregates before `events` (the pool's changes since a point, oldest first or
 * in any order): the live summary with every change undone and the subject left out.
 */
async function aggregatesBefore(
  q: Queryable,
  shape: CohortShape,
  subject: CohortSubject | null,
  events: PoolEvent[],
): Promise<Map<string, CohortAggregate>> {
  const adjustments: Adjustment[] = [];
  for (const e of events) {
    // The subject's own changes need no undoing: its membership now is left out, whatever it was then.
    if (subject && e.firm_id === subject.firmId && e.organisation_id === subject.organisationId) continue;
    adjustments.push({ code: e.code, score: e.score, weight: -e.delta });
  }
  return computeAggregates(q, shape, adjustments, subject);
}

/**
 * A pool cohort's exact aggregates as of the pool's change-log position `seq` (run on one
 * snapshot). Releases serve these; the exactness test checks them against the plain aggregate
 * taken at that point.
 */
export async function poolAggregatesAsOf(
  q: Queryable,
  shape: CohortShape,
  subject: CohortSubject | null,
  seq: string,
): Promise<Map<string, CohortAggregate>> {
  return aggregatesBefore(q, shape, subject, await readEvents(q, shape, seq));
}

/** The pool's change-log position of a framework key and major (0 before any change). */
export async function poolHead(q: Queryable, frameworkKey: string, major: number): Promise<string> {
  const [head] = await q.query<Array<{ seq: string }>>(
    `SELECT coalesce((SELECT seq FROM benchmark_pool_event WHERE framework_key = $1 AND framework_major = $2
                       ORDER BY seq DESC LIMIT 1), 0)::text AS seq`,
    [frameworkKey, major],
  );
  return head.seq;
}

/** The shapes broader than `shape`: one per non-empty subset of its filters dropped. */
function parentShapes(shape: CohortShape): CohortShape[] {
  const given = (['industry', 'sizeBand', 'country'] as const).filter((f) => shape[f]);
  const out: CohortShape[] = [];
  // Every non-empty subset of the filters dropped: one filter wider is not enough, since two
  // filters that each drop nobody alone can together drop one organisation.
  for (let mask = 1; mask < 1 << given.length; mask++) {
    const parent = { ...shape };
    given.forEach((f, i) => {
      if (mask & (1 << i)) parent[f] = null;
    });
    out.push(parent);
  }
  return out;
}

/** The verdicts of a release made now (live counts; the subject does not enter them). */
async function verdictsNow(q: Queryable, shape: CohortShape): Promise<Record<string, ReleaseVerdict>> {
  const shapes = [shape, ...parentShapes(shape)];
  const counts = await readCounts(
    q,
    shapes.flatMap((s) => [
      { shape: s, scope: POOL_SCOPE_KEY },
      { shape: s, scope: shape.firmId },
    ]),
  );
  const nOther = (i: number, code: string) => (counts[2 * i].get(code) ?? 0) - (counts[2 * i + 1].get(code) ?? 0);
  const out: Record<string, ReleaseVerdict> = {};
  for (const code of shape.codes) {
    out[code] = { nOther: nOther(0, code), parentNOther: shapes.slice(1).map((_, i) => nOther(i + 1, code)) };
  }
  return out;
}

// A request's reads may share one connection (a replica's, see src/db/read-routing.ts): its
// snapshots take turns, so that one's COMMIT never ends another's transaction.
const snapshotTurns = new WeakMap<QueryRunner, Promise<unknown>>();

/**
 * Runs `work` on one REPEATABLE READ, read-only snapshot, begun in one statement: on a new
 * connection of a DataSource (or of a manager without one), on the connection of a manager
 * that has one, or in the manager's transaction when it is already in one.
 */
export async function onSnapshot<T>(
  db: DataSource | EntityManager,
  work: (q: EntityManager) => Promise<T>,
): Promise<T> {
  const own = db instanceof DataSource || !db.queryRunner;
  const runner = own ? (db instanceof DataSource ? db : db.connection).createQueryRunner('master') : db.queryRunner;
  if (!runner) throw new Error('onSnapshot: no query runner');
  if (!own && runner.isTransactionActive) return work(runner.manager);
  const run = async (): Promise<T> => {
    if (own) await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let result: T;
      try {
        result = await work(runner.manager);
      } catch (err) {
        await runner.query('ROLLBACK');
        throw err;
      }
      await runner.query('COMMIT');
      return result;
    } finally {
      if (own) await runner.release();
    }
  };
  if (own) return run();
  const turn = (snapshotTurns.get(runner) ?? Promise.resolve()).then(run);
  snapshotTurns.set(
    runner,
    turn.catch(() => undefined),
  );
  return turn;
}

/** Where releases are written: the primary (a DataSource sends plain queries there). */
export function primaryOf(db: DataSource | EntityManager): DataSource {
  return db instanceof DataSource ? db : db.connection;
}

const RETRIES = 5;

/**
 * The pool cohort's aggregates as released to the asking firm (`shape.firmId`), making a new
 * release when the shape has none yet or at least k organisations of other firms changed in
 * it since. Reads on `reader` (one snapshot per attempt), writes releases on `writer`.
 */
export async function releasedPoolAggregates(
  reader: DataSource | EntityManager,
  writer: DataSource | EntityManager,
  shape: CohortShape,
  subject: CohortSubject | null,
  k: number,
): Promise<ReleasedAggregates> {
  const key = shapeKey(shape);
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    // A replica may not have replayed a release made meanwhile: after a lost race, read on the primary.
    const read = await onSnapshot(attempt === 0 ? reader : writer, async (q) => {
      const { release, head, events: since } = await readReleaseState(q, shape, key);
      let events: PoolEvent[] = [];
      let fresh = release === null;
      if (release) {
        events = since;
        if (releaseDue(otherFirmChanges(events, shape.firmId), k)) {
          fresh = true;
          events = [];
        }
      }
      const aggregates = await aggregatesBefore(q, shape, subject, events);
      const verdicts = fresh || !release ? await verdictsNow(q, shape) : release.verdicts;
      return { release, head, fresh, aggregates, verdicts };
    });
    if (!read.fresh && read.release) {
      return { aggregates: read.aggregates, verdicts: read.verdicts, releasedAt: new Date(read.release.released_at) };
    }
    // TypeORM answers an UPDATE with [rows, affected] and an INSERT with the rows.
    const written: Array<{ released_at: Date }> = read.release
      ? (
          await writer.query<[Array<{ released_at: Date }>, number]>(
            `UPDATE benchmark_release SET seq = $3::bigint, released_at = now(), verdicts = $4::jsonb
              WHERE firm_id = $1 AND shape = $2 AND seq = $5::bigint RETURNING released_at`,
            [shape.firmId, key, read.head, JSON.stringify(read.verdicts), read.release.seq],
          )
        )[0]
      : await writer.query<Array<{ released_at: Date }>>(
          `INSERT INTO benchmark_release (firm_id, shape, seq, verdicts) VALUES ($1, $2, $3::bigint, $4::jsonb)
           ON CONFLICT (firm_id, shape) DO NOTHING RETURNING released_at`,
          [shape.firmId, key, read.head, JSON.stringify(read.verdicts)],
        );
    // Another request released this shape meanwhile: read again from its release.
    if (written.length > 0) {
      return { aggregates: read.aggregates, verdicts: read.verdicts, releasedAt: new Date(written[0].released_at) };
    }
  }
  throw new Error(`benchmark release of ${key} kept changing under ${RETRIES} attempts`);
}
