import type { RunChangeHandlers, RunChangeSubscription } from '@baton/core';
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { notifyChannel, quoteIdent, WATCHER_TTL } from './migrations.js';
import { PostgresStoreError } from './pg-errors.js';

/** Reconnect delays after a dropped LISTEN connection: doubling from the first to the last, ms. */
export const WATCH_RECONNECT_MS = { first: 100, max: 5_000 } as const;

/** What a {@link PgRunWatch} needs from the store. */
export interface RunWatchContext {
  pool: pg.Pool;
  schema: string;
  target: string;
}

/**
 * One LISTEN on the schema's channel, on a connection taken from the pool and held. When that connection
 * breaks (server restart, `pg_terminate_backend`, network), it reports the error, reconnects with a doubling
 * delay and, once listening again, calls `onResync`: notifications sent while it was away are lost.
 */
export class PgRunWatch implements RunChangeSubscription {
  private client: pg.PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number = WATCH_RECONNECT_MS.first;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** This watch's row in `watchers`: appends notify only while a live one exists (migration 4). */
  private readonly watcherId = randomUUID();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: RunWatchContext,
    private readonly handlers: RunChangeHandlers,
    private readonly onClosed: () => void,
  ) {}

  /** Connects and listens; rejects (a `PostgresStoreError`) if the first connection fails. */
  async start(): Promise<void> {
    await this.listen();
    try {
      await this.registerWatcher();
    } catch (error) {
      await this.close();
      throw new PostgresStoreError('watch (register)', this.context.target, error);
    }
    // Renewed while the watch lives; a failed renewal is reported and retried at the next tick.
    this.renewal = setInterval(() => {
      this.registerWatcher().catch((error: unknown) =>
        this.handlers.onError?.(new PostgresStoreError('watch (renew)', this.context.target, error)),
      );
    }, WATCHER_TTL.renewMs);
    this.renewal.unref?.();
  }

  /** Inserts or renews this watch's row (after LISTEN: from then on every committed append notifies). */
  private async registerWatcher(): Promise<void> {
    const table = `${quoteIdent(this.context.schema)}.watchers`;
    await this.context.pool.query(
      `INSERT INTO ${table} (id, expires_at) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [this.watcherId, WATCHER_TTL.ttlSeconds],
    );
  }

  /** Stops listening and reconnecting, and returns the connection to the pool. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      clearTimeout(this.timer);
      clearInterval(this.renewal);
      const client = this.client;
      this.client = undefined;
      this.onClosed();
      // Best effort: a row left behind (server unreachable) expires by itself.
      await this.context.pool
        .query(`DELETE FROM ${quoteIdent(this.context.schema)}.watchers WHERE id = $1`, [this.watcherId])
        .catch(() => undefined);
      if (!client) return;
      try {
        await client.query(`UNLISTEN ${quoteIdent(notifyChannel(this.context.schema))}`);
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : true);
      }
    })();
    return this.closing;
  }

  private async listen(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.context.pool.connect();
    } catch (error) {
      throw new PostgresStoreError('watch (connect)', this.context.target, error);
    }
    // Attached before LISTEN: an error on a checked-out client with no listener would crash the process.
    const lost = (error: unknown) => this.lost(client, error);
    client.on('error', lost);
    client.on('end', () => lost(new Error('the LISTEN connection ended')));
    client.on('notification', (message) => {
      if (message.payload && !this.closed) this.handlers.onChange([message.payload]);
    });
    try {
      await client.query(`LISTEN ${quoteIdent(notifyChannel(this.context.schema))}`);
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw new PostgresStoreError('watch (LISTEN)', this.context.target, error);
    }
    if (this.closed) {
      client.release(true);
      return;
    }
    this.client = client;
  }

  /** The held connection broke: drop it and reconnect (once per broken connection). */
  private lost(client: pg.PoolClient, error: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.release(error instanceof Error ? error : true);
    this.handlers.onError?.(new PostgresStoreError('watch', this.context.target, error));
    this.reconnectLater();
  }

  private reconnectLater(): void {
    const delay = this.delayMs;
    this.delayMs = Math.min(WATCH_RECONNECT_MS.max, delay * 2);
    this.timer = setTimeout(() => {
      this.listen().then(
        () => {
          if (this.closed) return;
          this.delayMs = WATCH_RECONNECT_MS.first;
          this.registerWatcher().then(
            () => this.handlers.onResync?.(),
            (error: unknown) => {
              this.handlers.onError?.(new PostgresStoreError('watch (register)', this.context.target, error));
              this.handlers.onResync?.();
            },
          );
        },
        (error: unknown) => {
          if (this.closed) return;
          this.handlers.onError?.(error);
          this.reconnectLater();
        },
      );
    }, delay);
    this.timer.unref?.();
  }
}
