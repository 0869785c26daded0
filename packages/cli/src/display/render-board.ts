import { formatDuration, type Palette } from './format.js';
import type { StepBoard, StepRow } from './step-board.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Renders the board as one line per step, for the live display; `now` drives elapsed times and the spinner. */
export function renderBoard(board: StepBoard, palette: Palette, now: number, title: string): string {
  const width = Math.max(4, ...board.rows.map((row) => row.id.length));
  const frame = SPINNER[Math.floor(now / 100) % SPINNER.length]!;
  const lines = board.rows.map((row) => `  ${renderRow(row, palette, now, frame, width)}`);
  return [palette.bold(title), ...lines].join('\n');
}

function renderRow(row: StepRow, palette: Palette, now: number, frame: string, width: number): string {
  const id = row.id.padEnd(width);
  const notes = [row.via ? `via ${row.via}` : undefined, row.note].filter(Boolean);
  const note = notes.length > 0 ? palette.dim(` (${notes.join('; ')})`) : '';
  switch (row.state) {
    case 'waiting':
      return `${palette.dim('·')} ${id}  ${palette.dim('waiting')}${note}`;
    case 'running': {
      const attempt = row.attempt > 1 ? ` attempt ${row.attempt} of ${row.maxAttempts}` : '';
      const progress = row.progress ? palette.dim(` ${row.progress}`) : '';
      return `${palette.cyan(frame)} ${id}  ${palette.cyan('running')} ${formatDuration(now - (row.startedAt ?? now))}${attempt}${progress}${note}`;
    }
    case 'retrying': {
      const wait = row.retryAt !== undefined ? ` in ${formatDuration(Math.max(0, row.retryAt - now))}` : '';
      return `${palette.yellow('↻')} ${id}  ${palette.yellow(`retrying ${row.attempt + 1} of ${row.maxAttempts}`)}${wait}: ${row.error ?? ''}`;
    }
    case 'succeeded':
      return `${palette.green('✔')} ${id}  ${palette.green('done')} ${formatDuration(row.durationMs ?? 0)}${note}`;
    case 'skipped':
      return `${palette.dim('-')} ${id}  ${palette.dim('skipped')}${note}`;
    case 'cancelled':
      return `${palette.yellow('■')} ${id}  ${palette.yellow('cancelled')} after ${formatDuration(row.durationMs ?? 0)}`;
    default:
      return `${palette.red('✖')} ${id}  ${palette.red(row.state === 'timed_out' ? 'timed out' : 'failed')} after ${attemptsText(row)}: ${row.error ?? ''}`;
  }
}

function attemptsText(row: StepRow): string {
  return `${row.attempt} attempt${row.attempt === 1 ? '' : 's'}`;
}
