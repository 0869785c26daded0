/** Digits of the zero-padded sequence number in a record's key: lexical order is numeric order up to 10^12 records. */
export const SEQ_DIGITS = 12;
const RECORD_KEY = /^([^/]+)\/records\/(\d{12})\.json$/;

/**
 * The object layout under the store's prefix:
 * `runs/<runId>/records/<seq, 12 digits>.json` per record and `runs/<runId>/lease.json` per run.
 */
export class KeyLayout {
  /** `prefix` normalized to end with `/` (or empty). */
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  }

  /** Prefix of every run: list it to find all runs. */
  runsPrefix(): string {
    return `${this.prefix}runs/`;
  }

  /** Prefix of every object of one run (records and lease). */
  runPrefix(runId: string): string {
    return `${this.runsPrefix()}${runId}/`;
  }

  recordsPrefix(runId: string): string {
    return `${this.runPrefix(runId)}records/`;
  }

  recordKey(runId: string, seq: number): string {
    return `${this.recordsPrefix(runId)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
  }

  leaseKey(runId: string): string {
    return `${this.runPrefix(runId)}lease.json`;
  }

  /** Parses a record key found under `runsPrefix()`; `undefined` for anything else (leases, foreign objects). */
  parseRecordKey(key: string): { runId: string; seq: number } | undefined {
    if (!key.startsWith(this.runsPrefix())) return undefined;
    const match = RECORD_KEY.exec(key.slice(this.runsPrefix().length));
    return match ? { runId: match[1]!, seq: Number(match[2]) } : undefined;
  }
}
