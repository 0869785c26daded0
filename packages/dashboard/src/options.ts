import { z } from 'zod';
import { DashboardError } from './errors.js';

/** Default port of `baton dashboard`. */
export const DEFAULT_PORT = 4600;
/** Default host: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';
/** Re-list interval of stores without a watchable folder (S3, pg), ms. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Re-list interval of a watched fs store: a safety net for missed events and owners that died, ms. */
export const DEFAULT_WATCHED_POLL_INTERVAL_MS = 15_000;

/** The plain (serializable) options of `startDashboard`, checked at the boundary. */
export const dashboardOptionsSchema = z.object({
  host: z.string().min(1).default(DEFAULT_HOST),
  port: z.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  token: z.string().min(8, 'a token must have at least 8 characters').optional(),
  watchDir: z.string().min(1).optional(),
  pollIntervalMs: z.number().int().min(50).optional(),
  storeLabel: z.string().default('checkpoint store'),
  assetsDir: z.string().min(1).optional(),
});

/** Parsed {@link dashboardOptionsSchema}. */
export type ParsedDashboardOptions = z.output<typeof dashboardOptionsSchema>;

/** Parses the plain options; throws `BATON_DASHBOARD_OPTIONS` naming each bad one with its value. */
export function parseDashboardOptions(options: unknown): ParsedDashboardOptions {
  const parsed = dashboardOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const value = key ? (options as Record<string, unknown>)[key] : options;
    return `${key || 'options'} = ${key === 'token' ? '(hidden)' : JSON.stringify(value)}: ${issue.message}`;
  });
  throw new DashboardError('BATON_DASHBOARD_OPTIONS', `Invalid dashboard options: ${problems.join('; ')}`, {
    cause: parsed.error,
  });
}
