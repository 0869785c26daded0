import { BatonError } from '@baton/core';

/** Stable codes of {@link DashboardError}. */
export type DashboardErrorCode =
  | 'BATON_DASHBOARD_TOKEN_REQUIRED'
  | 'BATON_DASHBOARD_OPTIONS'
  | 'BATON_DASHBOARD_ASSETS_MISSING'
  | 'BATON_DASHBOARD_LISTEN';

/**
 * A problem starting or configuring the dashboard: a non-loopback host without a token, bad options, a
 * package built without its web app, a port that cannot be bound. The offending value is in the message.
 */
export class DashboardError extends BatonError {
  declare readonly code: DashboardErrorCode;

  constructor(code: DashboardErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, { message, cause: options.cause }, 'fatal');
  }
}
