import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/**
 * The store's SQL, built once per schema (`s` is the quoted schema name). Every
 * parameter carries an explicit cast so the server never has to guess a type.
 */
export interface Statements {
  appendLeased: string;
  appendLeasedFinal: string;
  appendUnleased: string;
  tail: string;
  read: string;
  runIds: string;
  summaries: string;
  deleteRun: string;
  pruneRun: string;
  acquire: string;
  leaseHolder: string;
  leaseOwner: string;
  renew: string;
  release: string;
}

// The record's columns and their parameters, shared by both appends.
const INSERT_RECORD = (s: string) => `INSERT INTO ${s}.records (run_id, seq, hash, type, status, at, workflow, body)
    SELECT $1::text, $2::bigint, $3::text, $4::text, $5::text, $6::double precision, $7::text, $8::text`;
// The chain check: seq 0 starts a run; any other seq needs the previous record, with the hash we chain onto.
// FOR KEY SHARE keeps that record from being deleted (prune) while this append commits.
const PREVIOUS = (s: string) =>
  `SELECT 1 FROM ${s}.records WHERE run_id = $1::text AND seq = $2::bigint - 1 AND hash = $9::text FOR KEY SHARE`;
// What the writer learns from one round trip: inserted, or why not.
const OUTCOME = (s: string, allowed: string) => `SELECT EXISTS (SELECT 1 FROM ins) AS inserted,
    ${allowed} AS fence_ok,
    ($2::bigint = 0 OR EXISTS (SELECT 1 FROM prev)) AS chained,
    (SELECT hash FROM ${s}.records WHERE run_id = $1::text AND seq = $2::bigint) AS existing`;

/**
 * One statement per append, so the fencing check and the insert are one atomic step:
 * - the `(run_id, seq)` primary key is the compare-and-set (`ON CONFLICT DO NOTHING`:
 *   of racing writers exactly one inserts; the others wait for it, then insert nothing);
 * - `lease` locks (`FOR SHARE`) this writer's live lease row, matched on its token and the
 *   server clock: a takeover (an `UPDATE` of that row) waits for the append to commit, or
 *   the append re-checks the row after the takeover and finds the token gone;
 * - `existing` lets a retried append that had in fact landed succeed instead of conflicting.
 */
export function buildStatements(s: string): Statements {
  const append = (lease: string, allowed: string, then = '') => `WITH lease AS (${lease}),
  prev AS (${PREVIOUS(s)}),
  ins AS (${INSERT_RECORD(s)}
    WHERE ${allowed} AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM prev))
    ON CONFLICT (run_id, seq) DO NOTHING
    RETURNING 1)${then}
  ${OUTCOME(s, allowed)}`;
  const leased = `SELECT 1 FROM ${s}.leases WHERE run_id = $1::text AND token = $10::uuid AND expires_at > now() FOR SHARE`;
  return {
    appendLeased: append(leased, 'EXISTS (SELECT 1 FROM lease)'),
    // A run's last record (`run.finished`) releases the holder's lease in the same statement, only if the record
    // was inserted: the release the run makes next then needs no round trip of its own. Deleting the row we hold
    // FOR SHARE ourselves is allowed; a takeover waiting on that lock finds the row gone and inserts a fresh one.
    appendLeasedFinal: append(
      leased,
      'EXISTS (SELECT 1 FROM lease)',
      `,
  freed AS (DELETE FROM ${s}.leases WHERE run_id = $1::text AND token = $10::uuid AND EXISTS (SELECT 1 FROM ins))`,
    ),
    // Without a lease of its own a writer may append only while nobody holds a live lease on the run.
    appendUnleased: append(
      `SELECT 1 FROM ${s}.leases WHERE run_id = $1::text AND expires_at > now() FOR SHARE`,
      'NOT EXISTS (SELECT 1 FROM lease)',
    ),
    tail: `SELECT seq, hash FROM ${s}.records WHERE run_id = $1::text ORDER BY seq DESC LIMIT 1`,
    read: `SELECT seq, hash, body FROM ${s}.records WHERE run_id = $1::text ORDER BY seq`,
    runIds: `SELECT DISTINCT run_id FROM ${s}.records ORDER BY run_id`,
    summaries: `WITH runs AS (
      SELECT run_id, count(*) AS records, max(seq) AS last_seq,
        max(seq) FILTER (WHERE type IN ('run.started', 'run.resumed', 'run.finished')) AS mark_seq
      FROM ${s}.records GROUP BY run_id)
    SELECT runs.run_id, runs.records, first.at AS started_at, last.at AS updated_at, last.workflow,
      mark.type AS mark_type, mark.status AS mark_status
    FROM runs
    JOIN ${s}.records last ON last.run_id = runs.run_id AND last.seq = runs.last_seq
    LEFT JOIN ${s}.records first ON first.run_id = runs.run_id AND first.seq = 0
    LEFT JOIN ${s}.records mark ON mark.run_id = runs.run_id AND mark.seq = runs.mark_seq`,
    deleteRun: `WITH gone AS (DELETE FROM ${s}.records WHERE run_id = $1::text)
      DELETE FROM ${s}.leases WHERE run_id = $1::text`,
    // Deletes the run only if nobody holds a live lease and it still has the records it was listed with.
    pruneRun: `WITH live AS (
        SELECT owner FROM ${s}.leases WHERE run_id = $1::text AND expires_at > now() FOR UPDATE),
      counted AS (SELECT count(*) AS n FROM ${s}.records WHERE run_id = $1::text),
      gone AS (DELETE FROM ${s}.records WHERE run_id = $1::text
        AND NOT EXISTS (SELECT 1 FROM live) AND (SELECT n FROM counted) = $2::bigint RETURNING 1),
      lease_gone AS (DELETE FROM ${s}.leases WHERE run_id = $1::text
        AND NOT EXISTS (SELECT 1 FROM live) AND (SELECT n FROM counted) = $2::bigint)
      SELECT (SELECT owner FROM live LIMIT 1) AS owner, (SELECT count(*) FROM gone) AS deleted`,
    // Takes a free, expired or (a retried acquire of) our own lease; a live lease of another owner is left alone.
    // The same round trip reads the run's last record (seq, hash), which the writer's first append chains onto, so
    // a run's first append needs no read of its own. That tail is only a hint (the statement's snapshot may predate
    // an unleased append that commits just after): every append re-checks seq and hash on the server.
    acquire: `WITH taken AS (
        INSERT INTO ${s}.leases AS held (run_id, owner, token, acquired_at, expires_at)
        VALUES ($1::text, $2::text, $3::uuid, now(), now() + $4::double precision * interval '1 millisecond')
        ON CONFLICT (run_id) DO UPDATE
          SET owner = excluded.owner, token = excluded.token, acquired_at = excluded.acquired_at,
            expires_at = excluded.expires_at
          WHERE held.expires_at <= now() OR held.token = excluded.token
        RETURNING token),
      tail AS (SELECT seq, hash FROM ${s}.records WHERE run_id = $1::text ORDER BY seq DESC LIMIT 1)
      SELECT taken.token, tail.seq AS tail_seq, tail.hash AS tail_hash FROM taken LEFT JOIN tail ON true`,
    leaseHolder: `SELECT owner, expires_at, (extract(epoch FROM expires_at - now()) * 1000)::bigint AS remaining_ms
      FROM ${s}.leases WHERE run_id = $1::text`,
    // Judged on the server clock, like every append's fencing check.
    leaseOwner: `SELECT owner, acquired_at, expires_at, expires_at > now() AS alive
      FROM ${s}.leases WHERE run_id = $1::text`,
    renew: `UPDATE ${s}.leases SET expires_at = now() + $3::double precision * interval '1 millisecond'
      WHERE run_id = $1::text AND token = $2::uuid AND expires_at > now() RETURNING 1`,
    release: `DELETE FROM ${s}.leases WHERE run_id = $1::text AND token = $2::uuid`,
  };
}

const names = new Map<string, string>();

/**
 * A named (prepared) query for one of the hot-path statements (append, acquire, renew, release): node-postgres
 * parses it once per connection and then only binds and executes it, which spares the server the parse of these
 * CTEs on every call. The name is derived from the text (so two schemas, or two versions of the text, never share
 * one), and prefixed so it cannot clash with a caller's own prepared statements on a shared pool.
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `baton_cp_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text, values };
}
