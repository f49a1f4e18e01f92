import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pre-aggregated cohort summaries (docs/benchmarking.md, "How the figures are computed"):
 *
 * - `benchmark_cohort_summary`: per framework key and major, scope (a firm, or the shared pool
 *   under the nil uuid), segment (each of industry, size band and country either a value or
 *   `*` for any: the 8 filter combinations), value code and quarter-point bucket of the score
 *   (`floor(score * 4)`, with the histogram bucket of the engine beside it): the number of
 *   counted rows and the exact sum of their scores. Counted rows are the latest, not excluded,
 *   scored `benchmark_score` rows; the pool holds those of the firms that share benchmarks.
 * - `benchmark_pool_event`: every change of the pool's counted rows, in commit order per
 *   framework (a transaction-scoped advisory lock per framework key and major orders them), so
 *   that the pool's figures can be computed exactly as of an earlier point (stepped releases).
 * - `benchmark_release`: per asking firm and pool cohort shape, the point its figures are
 *   released at, and the withholding verdicts computed then.
 *
 * Statement-level triggers on `benchmark_score` and row triggers on `firm` keep the summaries
 * and the event log in step in the writing transaction. Archived organisations leave every
 * cohort like excluded ones: their rows get `excluded = true`.
 */
const POOL = "'00000000-0000-0000-0000-000000000000'::uuid";

const COUNTED = 'is_latest AND NOT excluded AND score IS NOT NULL';

/** The changed counted rows (`d`, with a delta of +1 or −1) of a statement, as SQL. */
function deltaRows(table: 'new_rows' | 'old_rows', delta: 1 | -1): string {
  return `SELECT framework_key, framework_major, firm_id, organisation_id, dimension_code, industry, size_band, country, score, ${delta} AS delta
            FROM ${table} WHERE ${COUNTED}`;
}

/** The body of a statement-level trigger function applying the deltas `d` to the summaries. */
function applyBody(d: string, firms: string): string {
  return `
BEGIN
  -- A firm's pool membership cannot change under this statement (see benchmark_firm_shares).
  PERFORM 1 FROM firm WHERE id IN (SELECT firm_id FROM (${firms}) x) ORDER BY id FOR SHARE;
  -- One writer per framework at a time from here to commit: events become visible in seq order.
  PERFORM pg_advisory_xact_lock(hashtextextended(k.framework_key || '@' || k.framework_major, 482913))
     FROM (SELECT DISTINCT framework_key, framework_major FROM (${d}) y ORDER BY 1, 2) k;
  WITH d AS (${d}),
  dn AS (
    SELECT d.framework_key, d.framework_major, d.firm_id, d.organisation_id, d.dimension_code, d.industry,
           d.size_band, d.country, d.score, sum(d.delta)::int AS delta, f.shares_benchmarks AS pooled
      FROM d JOIN firm f ON f.id = d.firm_id
     GROUP BY d.framework_key, d.framework_major, d.firm_id, d.organisation_id, d.dimension_code, d.industry,
              d.size_band, d.country, d.score, f.shares_benchmarks
    HAVING sum(d.delta) <> 0
  ),
  ev AS (
    INSERT INTO benchmark_pool_event
      (framework_key, framework_major, dimension_code, firm_id, organisation_id, industry, size_band, country, score, delta)
    SELECT framework_key, framework_major, dimension_code, firm_id, organisation_id, industry, size_band, country, score, delta
      FROM dn WHERE pooled
  )
  INSERT INTO benchmark_cohort_summary AS t
    (framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket, n, total)
  SELECT dn.framework_key, dn.framework_major, s.scope_key,
         CASE WHEN g.g & 1 = 1 THEN dn.industry ELSE '*' END,
         CASE WHEN g.g & 2 = 2 THEN dn.size_band ELSE '*' END,
         CASE WHEN g.g & 4 = 4 THEN dn.country ELSE '*' END,
         dn.dimension_code, floor(dn.score * 4)::int, LEAST(floor(dn.score / 10), 9)::int,
         sum(dn.delta)::int, sum(dn.delta * dn.score::numeric)
    FROM dn
    CROSS JOIN generate_series(0, 7) AS g(g)
    CROSS JOIN LATERAL (SELECT dn.firm_id AS scope_key UNION ALL SELECT ${POOL} WHERE dn.pooled) s
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket)
  DO UPDATE SET n = t.n + EXCLUDED.n, total = t.total + EXCLUDED.total;
  RETURN NULL;
END`;
}

export class CohortSummaries1796600000000 implements MigrationInterface {
  name = 'CohortSummaries1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // Archived organisations leave the cohorts (their rows count as excluded).
    await q(`UPDATE benchmark_score b SET excluded = true
               FROM organisation o
              WHERE o.firm_id = b.firm_id AND o.id = b.organisation_id AND o.archived_at IS NOT NULL AND NOT b.excluded`);
    await q(`CREATE TABLE "benchmark_cohort_summary" (
      "framework_key" character varying(120) NOT NULL,
      "framework_major" integer NOT NULL,
      "scope_key" uuid NOT NULL,
      "industry" character(1) NOT NULL,
      "size_band" character varying(10) NOT NULL,
      "country" character(2) NOT NULL,
      "dimension_code" character varying(64) NOT NULL,
      "fine" smallint NOT NULL,
      "hbucket" smallint NOT NULL,
      "n" integer NOT NULL,
      "total" numeric NOT NULL,
      CONSTRAINT "PK_benchmark_cohort_summary" PRIMARY KEY
        ("framework_key", "framework_major", "scope_key", "industry", "size_band", "country", "dimension_code", "fine", "hbucket"))`);
    await q(`CREATE TABLE "benchmark_pool_event" (
      "seq" bigserial NOT NULL,
      "framework_key" character varying(120) NOT NULL,
      "framework_major" integer NOT NULL,
      "dimension_code" character varying(64) NOT NULL,
      "firm_id" uuid NOT NULL,
      "organisation_id" uuid NOT NULL,
      "industry" character(1) NOT NULL,
      "size_band" character varying(10) NOT NULL,
      "country" character(2) NOT NULL,
      "score" double precision NOT NULL,
      "delta" integer NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_benchmark_pool_event" PRIMARY KEY ("seq"))`);
    await q('CREATE INDEX "IDX_pool_event_seq" ON "benchmark_pool_event" ("framework_key", "framework_major", "seq")');
    await q(
      'CREATE INDEX "IDX_pool_event_industry" ON "benchmark_pool_event" ("framework_key", "framework_major", "industry", "seq")',
    );
    await q(
      'CREATE INDEX "IDX_pool_event_size" ON "benchmark_pool_event" ("framework_key", "framework_major", "size_band", "seq")',
    );
    await q(
      'CREATE INDEX "IDX_pool_event_country" ON "benchmark_pool_event" ("framework_key", "framework_major", "country", "seq")',
    );
    await q(`CREATE TABLE "benchmark_release" (
      "firm_id" uuid NOT NULL,
      "shape" character varying(300) NOT NULL,
      "seq" bigint NOT NULL,
      "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "verdicts" jsonb NOT NULL,
      CONSTRAINT "PK_benchmark_release" PRIMARY KEY ("firm_id", "shape"),
      CONSTRAINT "FK_benchmark_release_firm" FOREIGN KEY ("firm_id") REFERENCES "firm"("id") ON DELETE CASCADE)`);
    // The exact values of one quarter-point bucket of a cohort, read from the index alone.
    await q(`CREATE INDEX "IDX_benchmark_score_order" ON "benchmark_score"
      ("framework_key", "framework_major", "dimension_code", "score")
      INCLUDE ("firm_id", "organisation_id", "industry", "size_band", "country")
      WHERE ${COUNTED}`);

    // The summaries of the rows stored so far (no events: the history starts here).
    await q(`INSERT INTO benchmark_cohort_summary
        (framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket, n, total)
      SELECT b.framework_key, b.framework_major, s.scope_key,
             CASE WHEN g.g & 1 = 1 THEN b.industry ELSE '*' END,
             CASE WHEN g.g & 2 = 2 THEN b.size_band ELSE '*' END,
             CASE WHEN g.g & 4 = 4 THEN b.country ELSE '*' END,
             b.dimension_code, floor(b.score * 4)::int, LEAST(floor(b.score / 10), 9)::int,
             count(*)::int, sum(b.score::numeric)
        FROM benchmark_score b
        JOIN firm f ON f.id = b.firm_id
        CROSS JOIN generate_series(0, 7) AS g(g)
        CROSS JOIN LATERAL (SELECT b.firm_id AS scope_key UNION ALL SELECT ${POOL} WHERE f.shares_benchmarks) s
       WHERE b.is_latest AND NOT b.excluded AND b.score IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);

    const allRows = `SELECT firm_id FROM new_rows UNION SELECT firm_id FROM old_rows`;
    await q(
      `CREATE FUNCTION benchmark_summary_insert() RETURNS trigger LANGUAGE plpgsql AS $$${applyBody(
        deltaRows('new_rows', 1),
        'SELECT firm_id FROM new_rows',
      )}$$`,
    );
    await q(
      `CREATE FUNCTION benchmark_summary_delete() RETURNS trigger LANGUAGE plpgsql AS $$${applyBody(
        deltaRows('old_rows', -1),
        'SELECT firm_id FROM old_rows',
      )}$$`,
    );
    await q(
      `CREATE FUNCTION benchmark_summary_update() RETURNS trigger LANGUAGE plpgsql AS $$${applyBody(
        `${deltaRows('new_rows', 1)} UNION ALL ${deltaRows('old_rows', -1)}`,
        allRows,
      )}$$`,
    );
    await q(`CREATE TRIGGER benchmark_summary_insert AFTER INSERT ON benchmark_score
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION benchmark_summary_insert()`);
    await q(`CREATE TRIGGER benchmark_summary_delete AFTER DELETE ON benchmark_score
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION benchmark_summary_delete()`);
    await q(`CREATE TRIGGER benchmark_summary_update AFTER UPDATE ON benchmark_score
      REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION benchmark_summary_update()`);

    // A firm joining or leaving the pool moves its summaries into or out of the pool's, with
    // one event per counted row. Closes hold a share lock on the firm row, so none is half-counted.
    await q(`CREATE FUNCTION benchmark_firm_shares() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sign int := CASE WHEN NEW.shares_benchmarks THEN 1 ELSE -1 END;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(k.framework_key || '@' || k.framework_major, 482913))
     FROM (SELECT DISTINCT framework_key, framework_major FROM benchmark_score WHERE firm_id = NEW.id ORDER BY 1, 2) k;
  INSERT INTO benchmark_pool_event
    (framework_key, framework_major, dimension_code, firm_id, organisation_id, industry, size_band, country, score, delta)
  SELECT framework_key, framework_major, dimension_code, firm_id, organisation_id, industry, size_band, country, score, sign
    FROM benchmark_score WHERE firm_id = NEW.id AND ${COUNTED};
  INSERT INTO benchmark_cohort_summary AS t
    (framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket, n, total)
  SELECT framework_key, framework_major, ${POOL}, industry, size_band, country, dimension_code, fine, hbucket, sign * n, sign * total
    FROM benchmark_cohort_summary WHERE scope_key = NEW.id AND n <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket)
  DO UPDATE SET n = t.n + EXCLUDED.n, total = t.total + EXCLUDED.total;
  RETURN NULL;
END$$`);
    await q(`CREATE TRIGGER benchmark_firm_shares AFTER UPDATE OF shares_benchmarks ON firm
      FOR EACH ROW WHEN (OLD.shares_benchmarks IS DISTINCT FROM NEW.shares_benchmarks)
      EXECUTE FUNCTION benchmark_firm_shares()`);
    // benchmark_score has no foreign key (cohort queries read it alone): a deleted firm's rows
    // go first, while the firm still says whether they were in the pool.
    await q(`CREATE FUNCTION benchmark_firm_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM benchmark_score WHERE firm_id = OLD.id;
  DELETE FROM benchmark_cohort_summary WHERE scope_key = OLD.id;
  RETURN OLD;
END$$`);
    await q(`CREATE TRIGGER benchmark_firm_delete BEFORE DELETE ON firm
      FOR EACH ROW EXECUTE FUNCTION benchmark_firm_delete()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q('DROP TRIGGER benchmark_firm_delete ON firm');
    await q('DROP FUNCTION benchmark_firm_delete()');
    await q('DROP TRIGGER benchmark_firm_shares ON firm');
    await q('DROP FUNCTION benchmark_firm_shares()');
    for (const op of ['insert', 'delete', 'update']) {
      await q(`DROP TRIGGER benchmark_summary_${op} ON benchmark_score`);
      await q(`DROP FUNCTION benchmark_summary_${op}()`);
    }
    await q('DROP INDEX "IDX_benchmark_score_order"');
    await q('DROP TABLE "benchmark_release"');
    await q('DROP TABLE "benchmark_pool_event"');
    await q('DROP TABLE "benchmark_cohort_summary"');
  }
}
