export { DashboardError, type DashboardErrorCode } from './errors.js';
export {
  DEFAULT_HOST,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PORT,
  DEFAULT_WATCHED_POLL_INTERVAL_MS,
  dashboardOptionsSchema,
} from './options.js';
export { PREVIEW_CHARS, type RunView, type StepView, type TimelineItem, type ValuePreview } from './run-view.js';
export { RunsIndex, type IndexedRun, type RunsPage, type RunsQuery } from './runs-index.js';
export { isLoopback, LOOPBACK_HOSTS, SESSION_HEADER } from './security.js';
export { startDashboard, type Dashboard, type DashboardOptions } from './server.js';
export type {
  ActionOutcome,
  ChainCheck,
  DashboardHost,
  DashboardRunStatus,
  GraphStep,
  JudgeLiveness,
  RunGraph,
} from './types.js';
