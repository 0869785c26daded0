import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { BatonError, type CheckpointRecord, type CheckpointStore } from '@baton/core';
import { CliError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { judgeLiveness } from '../inspect/run-status.js';
import { classifyStored } from '../inspect/timeline.js';
import { verifyStore } from '../maintenance/store-maintenance.js';
import { openProject, type GlobalOptions, type Project } from '../project.js';
import { parseCountFlag } from '../run/parse-flags.js';
import { workflowForInspection, workflowForResume } from '../run/run-workflow.js';
import { createProjectSupervisor } from './run.js';

/** Flags of `baton dashboard`. */
export interface DashboardCommandOptions extends GlobalOptions {
  port?: string;
  host?: string;
  /** Access token; also `BATON_DASHBOARD_TOKEN`. Required for a non-loopback host. */
  token?: string;
  /** Re-list interval (ms) of stores that cannot be watched. */
  poll?: string;
  open?: boolean;
}

/** The part of `@baton/dashboard` the CLI uses (imported lazily: it is an optional dependency). */
type DashboardModule = typeof import('@baton/dashboard');

/** Loads `@baton/dashboard`, or explains how to install it. */
async function importDashboard(): Promise<DashboardModule> {
  try {
    // A variable specifier keeps bundlers from requiring the optional package.
    const specifier = '@baton/dashboard';
    return (await import(specifier)) as DashboardModule;
  } catch (error) {
    throw new CliError(
      '`baton dashboard` needs the optional package @baton/dashboard: install it next to @baton/cli (pnpm add -D @baton/dashboard)',
      { code: 'BATON_CLI_DASHBOARD_MISSING', exitCode: ExitCode.failed, cause: error },
    );
  }
}

/**
 * `baton dashboard`: serves the dashboard over the project's store until SIGINT/SIGTERM. Resume is offered
 * for runs whose workflow file was recorded or whose workflow the config registers (`workflows`); it runs in
 * this process, which is also the only one that can cancel such a run.
 */
export async function dashboardCommand(options: DashboardCommandOptions): Promise<ExitCodeValue> {
  const port = parseCountFlag('--port', options.port);
  const pollIntervalMs = parseCountFlag('--poll', options.poll);
  const token = options.token ?? (process.env.BATON_DASHBOARD_TOKEN || undefined);
  const module = await importDashboard();
  const project = await openProject(options, process.cwd());
  try {
    let dashboard: Awaited<ReturnType<DashboardModule['startDashboard']>>;
    try {
      dashboard = await module.startDashboard({
        ...dashboardHost(project),
        store: project.store,
        ...(options.host ? { host: options.host } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(token ? { token } : {}),
        ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
        ...watchOptions(project.store),
        storeLabel: storeLabel(project),
      });
    } catch (error) {
      if (BatonError.isInstance(error) && error.code !== 'BATON_DASHBOARD_ASSETS_MISSING')
        throw new CliError(error.message, { code: error.code, cause: error });
      throw error;
    }
    process.stdout.write(`Baton dashboard on ${dashboard.url}  (Ctrl-C stops it)\n`);
    if (options.open) openInBrowser(dashboard.url);
    await untilSignal();
    await dashboard.close();
    return ExitCode.ok;
  } finally {
    await project.close();
  }
}

/** What only the CLI knows: liveness, workflow definitions, verification, classification, resume. */
function dashboardHost(project: Project) {
  const classifyOptions = {
    ...(project.config.supervisor?.classifiers ? { classifiers: project.config.supervisor.classifiers } : {}),
    ...(project.config.supervisor?.unknownErrorKind ? { unknownKind: project.config.supervisor.unknownErrorKind } : {}),
  };
  return {
    judge: (runId: string, status: Parameters<typeof judgeLiveness>[2]) => judgeLiveness(project.store, runId, status),
    graph: async (records: readonly CheckpointRecord[]) => {
      const inspected = await workflowForInspection(project, records);
      if (!inspected.workflow) return { note: inspected.note };
      return {
        source: inspected.source,
        steps: Object.entries(inspected.workflow.steps).map(([id, step]) => ({
          id,
          needs: step.needs ?? [],
          fallbacks: (step.fallback ?? []).map((agent) => agent.id),
        })),
      };
    },
    verify: async (runId: string) => {
      const [check] = await verifyStore(project.store, runId);
      return check ?? { ok: false, records: 0, error: { message: 'the store did not report the run' } };
    },
    classify: (error: Parameters<typeof classifyStored>[0]) => classifyStored(error, classifyOptions),
    canResume: async (records: readonly CheckpointRecord[]) => {
      try {
        await workflowForResume(project, records[0]!.runId, records, {});
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    resume: async (runId: string, signal: AbortSignal) => {
      const records = await project.store.read(runId);
      const { workflow, file } = await workflowForResume(project, runId, records, {});
      const supervisor = createProjectSupervisor(project, file);
      try {
        const result = await supervisor.resume(workflow, runId, { signal });
        return { status: result.status };
      } finally {
        await supervisor.close();
      }
    },
  };
}

/** An fs store's runs folder is watched; every other store is polled. */
function watchOptions(store: CheckpointStore): { watchDir?: string } {
  return store instanceof FsCheckpointStore ? { watchDir: join(store.dir, 'runs') } : {};
}

/** What the page calls the store: its kind and, for fs, its folder. Never options that may hold credentials. */
function storeLabel(project: Project): string {
  const store = project.store;
  if (store instanceof FsCheckpointStore) return `fs store ${relative(process.cwd(), store.dir) || '.'}`;
  const configured = project.config.store;
  if (configured && 'type' in configured && typeof configured.type === 'string') return `${configured.type} store`;
  return `${store.constructor.name || 'custom'} store`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`baton: could not open a browser (${command}); open ${url}\n`));
    child.unref();
  } catch {
    process.stderr.write(`baton: could not open a browser; open ${url}\n`);
  }
}
