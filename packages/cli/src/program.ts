import { Command, Option } from 'commander';
import { dashboardCommand } from './commands/dashboard.js';
import { pruneCommand } from './commands/prune.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';
import { runsListCommand, runsShowCommand } from './commands/runs.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import type { ExitCodeValue } from './exit-codes.js';

/** Sets the exit code a command's action produced. */
export type ExitSink = (code: ExitCodeValue) => void;

/** Wraps a command function as a commander action that reports its exit code. */
type Act = <A extends unknown[]>(fn: (...args: A) => Promise<ExitCodeValue>) => (...args: A) => Promise<void>;

/** A command's own flags merged with the global ones (`--config`, `--store-dir`). */
const withGlobals = <T extends object>(command: Command, options: T) => ({ ...command.optsWithGlobals(), ...options });

/** Builds the `baton` command tree; each action reports its exit code to `exit`. */
export function buildProgram(version: string, exit: ExitSink): Command {
  const program = new Command('baton')
    .description('Run, validate, inspect, resume and maintain Baton workflows.')
    .version(version, '-v, --version')
    .option(
      '-c, --config <file>',
      'project config file (default: nearest baton.config.{ts,mts,js,mjs,json}, or $BATON_CONFIG)',
    )
    .option('--store-dir <dir>', 'use a filesystem checkpoint store in <dir>, whatever the config says')
    .option('--no-color', 'no ANSI colours (also: NO_COLOR=1)')
    .showHelpAfterError('(run baton --help for usage)')
    .exitOverride();
  program.hook('preAction', (command) => {
    if (command.opts().color === false) process.env.NO_COLOR = '1';
  });
  const act: Act =
    (fn) =>
    async (...args) =>
      exit(await fn(...args));
  addWorkflowCommands(program, act);
  addRunsCommands(program, act);
  addMaintenanceCommands(program, act);
  addDashboardCommand(program, act);
  return program;
}

function addWorkflowCommands(program: Command, act: Act): void {
  program
    .command('validate')
    .description('check workflow files: every problem with file, line and path; exit 1 on errors')
    .argument('<file...>', 'workflow files (YAML or JSON)')
    .option('--json', 'print the problems as JSON')
    .action(
      act((files: string[], options: object, command: Command) =>
        validateCommand(files, withGlobals(command, options)),
      ),
    );

  program
    .command('run')
    .description('run a workflow file with a live progress display; Ctrl-C cancels and checkpoints')
    .argument('<file>', 'workflow file (YAML or JSON)')
    .option('-i, --input <json|@file>', 'run input: JSON text, @file.json|yaml, or @- for stdin')
    .option('--run-id <id>', 'run id (default: a random UUID)')
    .option('-t, --timeout <duration>', "run deadline, e.g. 30s, 5m (default: the workflow's spec.timeout)")
    .option('--json', 'print the result (status, outputs, steps) as JSON on stdout')
    .option('-q, --quiet', 'no progress display')
    .action(act((file: string, options: object, command: Command) => runCommand(file, withGlobals(command, options))));

  program
    .command('resume')
    .description('continue a failed, cancelled, timed-out or suspended run from its checkpoints')
    .argument('<runId>', 'the run to resume')
    .option(
      '--allow-changed',
      'resume even if the workflow changed since the run started (a registered workflow: one of the same name and version)',
    )
    .option(
      '-f, --file <file>',
      'workflow file (default: the one the run was started from, or the workflow registered in the config under the name, version and hash the run recorded)',
    )
    .option('-t, --timeout <duration>', 'deadline of this execution, e.g. 30s, 5m')
    .option(
      '-a, --answer <key=json|@file>',
      'answer a wait of a suspended run: key=\'{"approved":true}\' or key=@answer.json (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--by <name>', 'who answers (recorded with each answer)')
    .option('--json', 'print the result as JSON on stdout')
    .option('-q, --quiet', 'no progress display')
    .action(
      act((runId: string, options: object, command: Command) => resumeCommand(runId, withGlobals(command, options))),
    );
}

function addRunsCommands(program: Command, act: Act): void {
  const runs = program.command('runs').description('list and inspect runs in the checkpoint store');
  runs
    .command('list')
    .description('list runs, newest first')
    .addOption(
      new Option('--status <status>', 'only runs with this status').choices([
        'running',
        'succeeded',
        'failed',
        'cancelled',
        'timed_out',
        'suspended',
        'interrupted',
      ]),
    )
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--limit <n>', 'at most n runs')
    .option('--json', 'print as JSON')
    .action(act((options: object, command: Command) => runsListCommand(withGlobals(command, options))));
  runs
    .command('show')
    .description("a run's step timeline: attempts, durations, errors and classifications")
    .argument('<runId>', 'the run to show')
    .option('--json', 'print the timeline and raw records as JSON')
    .action(
      act((runId: string, options: object, command: Command) => runsShowCommand(runId, withGlobals(command, options))),
    );
}

function addMaintenanceCommands(program: Command, act: Act): void {
  program
    .command('verify')
    .description(
      "check the integrity (SHA-256 chain) of one run's checkpoints, or of all runs; exit 1 if any is corrupted",
    )
    .argument('[runId]', 'the run to verify (default: every run)')
    .option('--json', 'print as JSON')
    .action(
      act((runId: string | undefined, options: object, command: Command) =>
        verifyCommand(runId, withGlobals(command, options)),
      ),
    );

  program
    .command('prune')
    .description('delete old finished runs from the checkpoint store')
    .option('--older-than <duration>', 'delete runs last updated longer ago than this, e.g. 7d, 12h')
    .option('--keep-last <n>', 'always keep the n most recent finished runs')
    .option('--dry-run', 'only list what would be deleted')
    .option('--json', 'print as JSON')
    .action(act((options: object, command: Command) => pruneCommand(withGlobals(command, options))));
}

function addDashboardCommand(program: Command, act: Act): void {
  program
    .command('dashboard')
    .description('serve a local web app over the store: runs, their DAG and timeline, live (needs @baton/dashboard)')
    .option('-p, --port <port>', 'port to listen on (default: 4600; 0 picks a free one)')
    .option('--host <host>', 'interface to bind (default: 127.0.0.1); any other host requires --token')
    .option('--token <token>', 'access token required on every request (also: BATON_DASHBOARD_TOKEN)')
    .option('--poll <ms>', 're-list interval of stores that cannot be watched (S3, pg; default: 1000)')
    .option('--open', 'open the dashboard in a browser')
    .action(act((options: object, command: Command) => dashboardCommand(withGlobals(command, options))));
}
